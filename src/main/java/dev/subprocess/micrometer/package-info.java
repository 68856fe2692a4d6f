/**
 * Observes every process the library starts with Micrometer's Observation API: a timer per command and outcome,
 * and a span in the subscriber's trace. An optional integration: {@code io.micrometer:micrometer-observation} is an
 * optional dependency of the library, and nothing here is loaded until the application calls
 * {@link dev.subprocess.micrometer.SubprocessObservations#enable(io.micrometer.observation.ObservationRegistry)}.
 *
 * <pre>{@code
 * SubprocessObservations.enable(observationRegistry);   // once, at startup (Spring Boot provides the registry)
 *
 * Command.of("git", "fetch").run();                     // observed as "subprocess", span "subprocess git"
 * }</pre>
 *
 * <table class="striped">
 *   <caption>The key values of the default convention</caption>
 *   <thead>
 *     <tr><th scope="col">key</th><th scope="col">cardinality</th><th scope="col">value</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><th scope="row">{@code command}</th><td>low</td><td>the program's file name, such as {@code git}</td></tr>
 *     <tr><th scope="row">{@code outcome}</th><td>low</td>
 *       <td>{@code OK}, {@code FAILED}, {@code TIMED_OUT} or {@code CANCELLED}</td></tr>
 *     <tr><th scope="row">{@code exit.code}</th><td>low</td>
 *       <td>the return code, {@code -N} for death by signal {@code N}, {@code none} when it could not start</td></tr>
 *     <tr><th scope="row">{@code pid}</th><td>high</td><td>the process id</td></tr>
 *     <tr><th scope="row">{@code stdout.bytes}, {@code stderr.bytes}, {@code stdin.bytes}</th><td>high</td>
 *       <td>the bytes read from stdout and stderr and written to stdin</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>The observation starts just before the process is spawned and stops once it has ended and its publisher has
 * released it (for {@code start()}, once it has exited). Its parent is the observation in the subscriber's Reactor
 * {@code Context}, else the registry's current observation on the subscribing thread.
 */
package dev.subprocess.micrometer;
