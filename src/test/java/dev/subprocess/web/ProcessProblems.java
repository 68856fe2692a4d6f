package dev.subprocess.web;

import dev.subprocess.CalledProcessException;
import dev.subprocess.ProcessStartException;
import dev.subprocess.TimeoutExpiredException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The mapping from the library's exceptions to RFC 9457 problem responses that the README recommends. */
// problem-details
@RestControllerAdvice
public class ProcessProblems {

  @ExceptionHandler
  ProblemDetail failed(CalledProcessException e) {         // check(): a non-zero exit
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
        program(e.command()) + " exited with status " + e.returnCode());
    problem.setTitle("Command failed");
    problem.setProperty("exitCode", e.returnCode());
    problem.setProperty("stderr", lastLines(e.stderr(), 5)); // drop it if stderr may hold secrets
    return problem;
  }

  @ExceptionHandler
  ProblemDetail timedOut(TimeoutExpiredException e) {      // timeout(): stopped and reaped
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GATEWAY_TIMEOUT,
        program(e.command()) + " did not finish within " + e.timeout().toMillis() + " ms");
    problem.setTitle("Command timed out");
    return problem;
  }

  @ExceptionHandler
  ProblemDetail notStarted(ProcessStartException e) {      // not found, not executable, no such directory
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
        program(e.command()) + " could not start: " + e.reason());
    problem.setTitle("Command could not start");
    problem.setProperty("error", e.errorName());            // ENOENT, EACCES, ...
    return problem;
  }

  private static String program(List<String> command) {
    return command.get(0);
  }

  private static List<String> lastLines(byte[] stderr, int count) {
    if (stderr == null) {
      return List.of();
    }
    List<String> lines = Arrays.asList(new String(stderr, StandardCharsets.UTF_8).split("\n"));
    return lines.subList(Math.max(0, lines.size() - count), lines.size());
  }
}
// end
