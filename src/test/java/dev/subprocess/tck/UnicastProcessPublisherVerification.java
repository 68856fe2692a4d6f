package dev.subprocess.tck;

import java.nio.ByteBuffer;
import org.testng.SkipException;
import org.testng.annotations.Test;

/**
 * Verifies a stream that takes one subscriber by contract ({@code RunningProcess.stdout()}), skipping the TCK's
 * optional multi-subscriber rules.
 */
abstract class UnicastProcessPublisherVerification extends ProcessPublisherVerification<ByteBuffer> {

  /**
   * Not applicable: a pipe's bytes can be read once, so stdout() takes one subscriber and refuses the others, as
   * documented. The TCK's own run leaves the first subscriber neither requesting nor cancelled, which on the linux
   * backend keeps the pipe open for good (see the hardening report), so this optional rule is skipped up front.
   */
  @Override
  @Test
  public void optional_spec111_maySupportMultiSubscribe() {
    throw new SkipException("stdout() is unicast by contract: one subscriber per stream");
  }

  /** Not applicable, as {@link #optional_spec111_maySupportMultiSubscribe()}. */
  @Override
  @Test
  public void optional_spec111_registeredSubscribersMustReceiveOnNextOrOnCompleteSignals() {
    throw new SkipException("stdout() is unicast by contract: one subscriber per stream");
  }

  /** Not applicable, as {@link #optional_spec111_maySupportMultiSubscribe()}. */
  @Override
  @Test
  public void optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingOneByOne() {
    throw new SkipException("stdout() is unicast by contract: one subscriber per stream");
  }

  /** Not applicable, as {@link #optional_spec111_maySupportMultiSubscribe()}. */
  @Override
  @Test
  public void optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfront() {
    throw new SkipException("stdout() is unicast by contract: one subscriber per stream");
  }

  /** Not applicable, as {@link #optional_spec111_maySupportMultiSubscribe()}. */
  @Override
  @Test
  public void optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfrontAndCompleteAsExpected() {
    throw new SkipException("stdout() is unicast by contract: one subscriber per stream");
  }
}
