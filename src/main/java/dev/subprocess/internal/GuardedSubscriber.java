package dev.subprocess.internal;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * Stands between a publisher of the library and its subscriber, so that a subscriber whose {@code onNext} throws
 * (a user operator's {@code NoClassDefFoundError} or {@code StackOverflowError}, which Reactor's operators throw
 * on rather than signal) is treated as having cancelled (rule 2.13): the stream is cancelled, which stops the
 * process, the subscriber gets {@code onError} with what it threw, and a JVM-fatal error is then thrown on, as
 * Reactor's {@code Exceptions.throwIfJvmFatal} does. Without it the throw would unwind through the library's own
 * operators and leave them unable to signal anything.
 */
final class GuardedSubscriber<T> implements CoreSubscriber<T>, Subscription {
  private final CoreSubscriber<? super T> actual;
  private Subscription upstream;
  private volatile boolean done;

  private GuardedSubscriber(CoreSubscriber<? super T> actual) {
    this.actual = actual;
  }

  /** Returns {@code source} with every subscriber guarded. */
  static <T> Flux<T> guard(Flux<T> source) {
    return source.transform(Operators.<T, T>lift((scannable, subscriber) -> new GuardedSubscriber<>(subscriber)));
  }

  /** Returns {@code source} with every subscriber guarded. */
  static <T> Mono<T> guard(Mono<T> source) {
    return source.transform(Operators.<T, T>lift((scannable, subscriber) -> new GuardedSubscriber<>(subscriber)));
  }

  @Override
  public Context currentContext() {
    return actual.currentContext();
  }

  @Override
  public void onSubscribe(Subscription s) {
    if (Operators.validate(upstream, s)) {
      upstream = s;
      actual.onSubscribe(this);
    }
  }

  @Override
  public void onNext(T t) {
    if (done) {
      Operators.onNextDropped(t, actual.currentContext());
      return;
    }
    try {
      actual.onNext(t);
    } catch (Throwable e) {
      done = true;
      upstream.cancel();
      try {
        actual.onError(e);
      } catch (Throwable ignored) {
        // The subscriber is broken; what it threw first is what is thrown on.
      }
      Exceptions.throwIfJvmFatal(e);
    }
  }

  @Override
  public void onError(Throwable t) {
    if (done) {
      Operators.onErrorDropped(t, actual.currentContext());
      return;
    }
    done = true;
    actual.onError(t);
  }

  @Override
  public void onComplete() {
    if (!done) {
      done = true;
      actual.onComplete();
    }
  }

  @Override
  public void request(long n) {
    upstream.request(n);
  }

  @Override
  public void cancel() {
    upstream.cancel();
  }
}
