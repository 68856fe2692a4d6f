package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.time.Duration;
import org.reactivestreams.Publisher;

/**
 * Describes one run of a command: what to launch, what to feed it, how long it may take, whether a non-zero
 * return code is an error, how to decode its text, and how to stop it.
 *
 * @param launch what the backend starts
 * @param input what is written to stdin, or null for nothing
 * @param timeout the time limit of the run, or null for none
 * @param check whether a non-zero return code fails the run
 * @param encoding the charset of text input and output
 * @param killSignal the first signal of the stop policy
 * @param killGrace how long the stop policy waits before SIGKILL
 * @param drainTimeout how long output is awaited, without news, once the process has exited
 */
public record RunSpec(
    LaunchSpec launch,
    Publisher<ByteBuffer> input,
    Duration timeout,
    boolean check,
    Charset encoding,
    int killSignal,
    Duration killGrace,
    Duration drainTimeout) {}
