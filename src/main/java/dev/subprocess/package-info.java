/**
 * Runs operating-system processes the way Python's {@code subprocess} module does, re-thought for Project Reactor:
 * a process is a {@code Mono<CompletedProcess>}, its output a {@code Flux<ByteBuffer>} whose demand reaches the
 * child through the pipe, and cancelling a subscription stops and reaps the child.
 *
 * <h2 id="quick-start">Quick start</h2>
 *
 * <p>A {@link dev.subprocess.Command} describes a process; it is an immutable value, so every configuring method
 * returns a new command, and one command can be kept in a field and run any number of times. Nothing starts until
 * a publisher it returns is subscribed to, and each subscription starts a new process.
 *
 * <pre>{@code
 * Mono<CompletedProcess> status = Command.of("git", "status", "--short")
 *     .cwd(repo)
 *     .captureOutput()                  // stdout and stderr captured into the result
 *     .check()                          // a non-zero exit fails the Mono with CalledProcessException
 *     .timeout(Duration.ofSeconds(10))  // stopped, reaped, and failed with TimeoutExpiredException
 *     .run();
 *
 * Mono<String> changes = status.map(CompletedProcess::stdoutText);
 * Mono<byte[]> kernel = Subprocess.checkOutput("uname", "-r");      // Python's one-liners
 * }</pre>
 *
 * <h2 id="ways">Ways to run a command</h2>
 *
 * <table class="striped">
 *   <caption>What each operation of {@code Command} gives, and its Python counterpart</caption>
 *   <thead>
 *     <tr><th scope="col">operation</th><th scope="col">gives</th><th scope="col">Python</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><th scope="row">{@link dev.subprocess.Command#run() run()}</th>
 *       <td>a {@code Mono<CompletedProcess>} once the process has exited and its piped output ended</td>
 *       <td>{@code subprocess.run}</td></tr>
 *     <tr><th scope="row">{@link dev.subprocess.Command#output() output()}</th>
 *       <td>stdout as a {@code Flux<ByteBuffer>}, read only as fast as requested; fails after the data on a
 *       non-zero exit, quoting the tail of stderr</td>
 *       <td>{@code check_output}, streamed</td></tr>
 *     <tr><th scope="row">{@link dev.subprocess.Command#lines() lines()}</th>
 *       <td>{@code output()} decoded and split on {@code \n}, {@code \r\n} and {@code \r}</td>
 *       <td>{@code text=True}, iterated</td></tr>
 *     <tr><th scope="row">{@link dev.subprocess.Command#start() start()}</th>
 *       <td>a {@link dev.subprocess.RunningProcess} the caller owns: streams, stdin, signals, exit code</td>
 *       <td>{@code Popen}</td></tr>
 *     <tr><th scope="row">{@link dev.subprocess.Command#execute execute(body)}</th>
 *       <td>a process that lives exactly as long as the body's publisher</td>
 *       <td>{@code with Popen(...) as p:}</td></tr>
 *     <tr><th scope="row">{@link dev.subprocess.Command#pipe pipe(upstream)}</th>
 *       <td>the command as a stream operator: {@code flux.transform(Command.of("gzip")::pipe)}</td>
 *       <td>a filter process</td></tr>
 *     <tr><th scope="row">{@link dev.subprocess.Command#pipeTo pipeTo(next)}</th>
 *       <td>a {@link dev.subprocess.Pipeline}: stages joined by OS pipes, every stage's return code reported</td>
 *       <td>{@code run_pipeline}, "replacing shell pipeline"</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>As in Python, stdin, stdout and stderr are inherited unless redirected ({@link dev.subprocess.Redirect}); no
 * shell is involved unless {@link dev.subprocess.Command#shell(String)} asks for one; arguments reach the child byte
 * for byte; return codes are {@code -N} when the child was killed by signal {@code N}. Bad arguments (an empty argv,
 * a NUL byte, {@code Redirect.STDOUT} for stdout, input together with a stdin redirect) are refused before anything
 * is spawned.
 *
 * <h2 id="backpressure">Backpressure and no deadlocks</h2>
 *
 * <p>A pipe is read only while its subscriber has requested data, and at most one chunk is held beyond demand, so a
 * consumer that stops requesting leaves the child blocked on a full pipe instead of filling memory. Input is written
 * while stdout and stderr are read, whatever their sizes, and a piped stream nobody reads (stderr while only
 * {@code output()} is consumed) is drained, keeping its last bytes for error messages. Every emitted
 * {@code ByteBuffer} belongs to the subscriber.
 *
 * <pre>{@code
 * Flux<ByteBuffer> sortedAndCompressed = events
 *     .map(event -> ByteBuffer.wrap(event.toBytes()))
 *     .transform(Command.of("sort")::pipe)      // stdin fed from upstream, stdout emitted downstream
 *     .transform(Command.of("gzip", "-c")::pipe);
 * }</pre>
 *
 * <h2 id="threads">Threads: where signals arrive</h2>
 *
 * <p>Nothing in this package blocks. Signals ({@code onNext}, {@code onComplete}, {@code onError}) reach subscribers
 * on the library's threads, which are Reactor non-blocking threads: on the linux backend, the one event-loop thread
 * {@code subprocess-epoll} that serves every process, as Reactor Netty's event loops do; on the jdk backend, its
 * {@code subprocess-jdk-N} threads (one per pipe being read) and the JDK's process reaper; and timeouts fire on
 * Reactor's parallel scheduler. So do not block in operators downstream of {@code output()},
 * {@code lines()} or {@code run()}: {@code publishOn(Schedulers.boundedElastic())} first for blocking work. A
 * process is started on the subscribing thread on the linux backend ({@code posix_spawn} returns once the child has
 * exec'd, about a millisecond, and a program name without a slash is looked up on the {@code PATH} there). An error
 * thrown in an operator on a library thread still stops the process and reaches the subscriber.
 *
 * <pre>{@code
 * Flux<String> saved = Command.of("journalctl", "--follow").lines()
 *     .publishOn(Schedulers.boundedElastic())   // leave the library's thread before blocking
 *     .doOnNext(line -> database.insert(line));
 * }</pre>
 *
 * <h2 id="stopping">Stopping, timeouts and errors</h2>
 *
 * <p>Cancelling a subscription, an error downstream, or the {@link dev.subprocess.Command#timeout timeout} stops the
 * process with its stop policy: the {@link dev.subprocess.Command#killSignal kill signal} (SIGTERM by default), then
 * SIGKILL if it outlives the {@link dev.subprocess.Command#killGrace grace} (five seconds by default); the process is
 * reaped and its pipes are closed. With {@link dev.subprocess.Command#newSession()} the whole process group is
 * signalled. Nothing outlives its subscription unless the caller asked for that with {@code start()}, and processes
 * still running when the JVM exits normally are stopped ({@code -Ddev.subprocess.stopChildrenOnExit=false} switches
 * that off). Once the process has exited, output held open by a background grandchild is awaited for the
 * {@link dev.subprocess.Command#drainTimeout drain timeout} without news, never forever.
 *
 * <p>Failures are unchecked {@link dev.subprocess.SubprocessException}s whose messages name the command, the working
 * directory, the exit status or OS reason, and quote the tail of stderr:
 * {@link dev.subprocess.CalledProcessException} (a non-zero exit, with {@code check()}, {@code output()} or
 * {@code lines()}; for a pipeline, its subclass {@link dev.subprocess.PipelineException}, with every stage's return
 * code and the failed stages), {@link dev.subprocess.TimeoutExpiredException} (with what was captured until the
 * stop) and
 * {@link dev.subprocess.ProcessStartException} (with the OS error name, such as {@code ENOENT}).
 *
 * <pre>{@code
 * Mono<String> version = Command.of("terraform", "version").captureOutput().check().run()
 *     .map(CompletedProcess::stdoutText)
 *     .onErrorResume(CalledProcessException.class, e -> Mono.just("unknown (exit " + e.returnCode() + ")"));
 * }</pre>
 *
 * <h2 id="context">Context, MDC and tracing</h2>
 *
 * <p>The subscriber's Reactor {@code Context} travels with the process. With Micrometer's
 * {@code context-propagation} on the class path and {@code Hooks.enableAutomaticContextPropagation()}, ThreadLocals
 * such as the MDC or a tracing context are restored around every signal the library emits from its own threads, and
 * around its own log lines. {@link dev.subprocess.Command#envFromContext envFromContext} hands a Context value to the
 * child as an environment variable. Package {@code dev.subprocess.micrometer} makes each process a Micrometer
 * observation (a timer and a span) with one call, {@code SubprocessObservations.enable(registry)}.
 *
 * <h2 id="backends">Backends and native access</h2>
 *
 * <p>The engine is backend-neutral; a backend starts processes and moves bytes, and one is picked per JVM:
 * <ul>
 *   <li><b>linux</b>, the default on Linux with Java 22+ when native access is enabled for the library:
 *   {@code posix_spawn} through the Foreign Function &amp; Memory API, a pidfd per child, and one epoll thread for all
 *   processes. It honours every option: any signal, exact return codes, {@code newSession()}, {@code passFds},
 *   {@code pipeSize}, {@code executable}; the child gets only fds 0, 1, 2 and the passed ones, with the signal mask
 *   and dispositions reset.</li>
 *   <li><b>jdk</b>, over {@link java.lang.ProcessBuilder}, on every platform and Java 17+. It does through standard
 *   programs what {@code ProcessBuilder} cannot: {@code newSession()} through util-linux {@code setsid} and an
 *   {@code executable} other than {@code argv[0]} through {@code bash -c 'exec -a'} (one more exec each), any
 *   signal through the shell's {@code kill} (a short-lived process per signal). It refuses, with
 *   {@link java.lang.UnsupportedOperationException} before anything starts, what it cannot do at all
 *   ({@code terminal()}, {@code passFds}), refuses text its {@code sun.jnu.encoding} cannot encode, and ignores the
 *   {@code pipeSize} hint.</li>
 * </ul>
 *
 * <p>On both, the program is found on the PATH of the child's environment, as {@code execvpe} and Python find it,
 * and an executable file without {@code #!} that the kernel cannot execute fails with ENOEXEC.
 * {@link dev.subprocess.Subprocess#backend()} says which backend runs and what it supports.
 *
 * <p>The library never makes the JDK print a restricted-method warning on the application's behalf: it uses the
 * linux backend only when the application granted it native access, and otherwise logs one INFO line that names what
 * is missing. Grant it with the flag that fits the way the library is loaded:
 * <ul>
 *   <li>on the class path (the unnamed module; most applications, Spring Boot):
 *   {@code --enable-native-access=ALL-UNNAMED}, or the manifest attribute {@code Enable-Native-Access: ALL-UNNAMED}
 *   of an executable jar, or {@code JAVA_TOOL_OPTIONS=--enable-native-access=ALL-UNNAMED} in the environment (of a
 *   container image, for example), or {@code -Dspring-boot.run.jvmArguments=--enable-native-access=ALL-UNNAMED}
 *   for {@code mvn spring-boot:run};</li>
 *   <li>on the module path (the named module {@code dev.subprocess}): {@code --enable-native-access=dev.subprocess};
 *   {@code ALL-UNNAMED} does not cover a named module, and the jdk backend would run.</li>
 * </ul>
 *
 * <p>The linux backend lives in the jar's multi-release layer ({@code META-INF/versions/22}), which a Java 22+
 * runtime loads only from a jar whose manifest says {@code Multi-Release: true}. Run from a classes directory (an IDE,
 * a build plugin's goal) or from a repackaged jar that lost that attribute, the library falls back to the jdk backend
 * and its INFO line says that the versioned classes were not loaded, and from where. On Java 17 to 21 the jdk backend
 * is the only one, and the line saying so is DEBUG. {@code -Ddev.subprocess.launcher=jdk} or {@code =linux} forces a
 * backend.
 *
 * <h2 id="logging">Logging</h2>
 *
 * <p>Through SLF4J: a DEBUG line when a process starts (argv, pid, backend, launch time) and when it ends (return
 * code, duration, bytes read from stdout and stderr, bytes written to stdin), a WARN line when the stop policy had to
 * escalate to SIGKILL, and the one startup line about the backend.
 *
 * @see <a href="https://docs.python.org/3/library/subprocess.html">Python's subprocess module</a>
 */
package dev.subprocess;
