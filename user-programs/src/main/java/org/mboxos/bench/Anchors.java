package org.mboxos.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code --anchors}: builds and runs the project's own native programs for W1's shape (one
 * sender, one receiver, {@code sizes.w1Messages()} messages of {@code sizes.bytes()} through a
 * queue of {@code sizes.capacity()}, the same warm-up and rounds) in this invocation:
 *
 * <ul>
 *   <li>{@code posix_mq}: C, two processes and one POSIX message queue, built with the first of
 *       gcc, cc, clang on the PATH and linked with -lrt;
 *   <li>{@code erlang}: two Erlang processes and a credit window, built with erlc and run by erl.
 * </ul>
 *
 * Their sources are resources of this jar ({@code org/mboxos/bench/anchors/}); they are copied
 * into a fresh temporary directory, built and run there, and the directory is deleted: nothing is
 * written into the source tree. A missing tool, a failed build or a failed run gives an
 * {@link Anchor.Skipped} with the reason, never an exception.
 */
final class Anchors {
    private static final String RESOURCES = "anchors/";
    private static final long BUILD_SECONDS = 120;
    private static final long RUN_SECONDS = 900;

    private final Sizes sizes;
    private final Consumer<String> progress;

    Anchors(Sizes sizes, Consumer<String> progress) {
        this.sizes = sizes;
        this.progress = progress;
    }

    /** Both anchors, {@code posix_mq} then {@code erlang}. */
    Map<String, Anchor> run() {
        Map<String, Anchor> all = new LinkedHashMap<>();
        Path dir;
        try {
            dir = Files.createTempDirectory("mboxos-anchors-");
        } catch (IOException e) {
            all.put("posix_mq", new Anchor.Skipped("no temporary directory: " + e.getMessage()));
            all.put("erlang", new Anchor.Skipped("no temporary directory: " + e.getMessage()));
            return all;
        }
        try {
            all.put("posix_mq", posixMq(dir));
            all.put("erlang", erlang(dir));
        } finally {
            delete(dir);
        }
        return all;
    }

    /** The W1 arguments both programs take: MESSAGES DEPTH BYTES WARMUP ROUNDS. */
    private List<String> shape() {
        return List.of(Integer.toString(sizes.w1Messages()), Integer.toString(sizes.capacity()),
                Integer.toString(sizes.bytes()), Integer.toString(sizes.w1Warmup()), Integer.toString(sizes.rounds()));
    }

    private Anchor posixMq(Path dir) {
        Optional<Path> cc = Stream.of("gcc", "cc", "clang").map(Anchors::onPath).flatMap(Optional::stream).findFirst();
        if (cc.isEmpty()) {
            return skipped("posix_mq", "no C compiler (gcc, cc or clang) on the PATH; apt-get install -y gcc");
        }
        Path source = copy(dir, "posix_mq_w1.c");
        Path binary = dir.resolve("posix_mq_w1");
        Outcome build = exec(List.of(cc.get().toString(), "-O2", "-o", binary.toString(), source.toString(), "-lrt"),
                dir, BUILD_SECONDS);
        if (!build.ok()) {
            return skipped("posix_mq", cc.get().getFileName() + " failed: " + build.why());
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(shape());
        return measured("posix_mq", cc.get().getFileName() + " -O2, fork, mq_send/mq_receive", dir, command);
    }

    private Anchor erlang(Path dir) {
        Optional<Path> erlc = onPath("erlc");
        Optional<Path> erl = onPath("erl");
        if (erlc.isEmpty() || erl.isEmpty()) {
            return skipped("erlang", "no erlc/erl on the PATH; apt-get install -y erlang-base");
        }
        Path source = copy(dir, "mboxos_w1.erl");
        Outcome build = exec(List.of(erlc.get().toString(), "-o", dir.toString(), source.toString()), dir,
                BUILD_SECONDS);
        if (!build.ok()) {
            return skipped("erlang", "erlc failed: " + build.why());
        }
        List<String> command = new ArrayList<>(List.of(erl.get().toString(), "-noshell", "-pa", dir.toString(), "-run",
                "mboxos_w1", "main"));
        command.addAll(shape());
        return measured("erlang", "erl " + otpRelease(erl.get(), dir) + ", two processes, credit window", dir,
                command);
    }

    /** Runs an anchor and reads its JSON lines: the median of rounds 1..n, and any note. */
    private Anchor measured(String name, String tool, Path dir, List<String> command) {
        progress.accept(String.format("anchor %s: %s", name, String.join(" ", command.subList(0, 1))
                + " " + String.join(" ", shape())));
        Outcome run = exec(command, dir, RUN_SECONDS);
        if (!run.ok()) {
            return skipped(name, "it failed: " + run.why());
        }
        List<Double> rates = new ArrayList<>();
        int depth = sizes.capacity();
        String note = null;
        for (String line : run.stdout().lines().filter(l -> l.startsWith("{")).toList()) {
            JsonNode json = Json.read(line);
            if (json.has("note")) {
                note = json.get("note").asText();
                progress.accept("anchor " + name + ": " + note);
            } else if (json.get("round").asInt() > 0) {
                double rate = json.get("messages").asLong() * 1e9 / json.get("nanos").asLong();
                depth = json.get("depth").asInt();
                rates.add(rate);
                progress.accept(String.format("  %-10s round %d: %.2f s, %,.0f msg/s (depth %d)", name,
                        json.get("round").asInt(), json.get("nanos").asLong() / 1e9, rate, depth));
            }
        }
        if (rates.isEmpty()) {
            return skipped(name, "it printed no rounds");
        }
        return new Anchor.Measured(Stats.median(rates), depth, List.copyOf(rates), tool, note);
    }

    private Anchor skipped(String name, String why) {
        progress.accept("anchor " + name + ": skipped: " + why);
        return new Anchor.Skipped(why);
    }

    private static String otpRelease(Path erl, Path dir) {
        Outcome v = exec(List.of(erl.toString(), "-noshell", "-eval",
                "io:format(\"OTP ~s\", [erlang:system_info(otp_release)]), halt()."), dir, BUILD_SECONDS);
        return v.ok() ? v.stdout().strip() : "(release unknown)";
    }

    /** An executable called {@code name} in a directory of the PATH. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    private static Path copy(Path dir, String resource) {
        Path target = dir.resolve(resource);
        try (InputStream in = Anchors.class.getResourceAsStream(RESOURCES + resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no anchor source " + RESOURCES + resource);
            }
            Files.copy(in, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a command ended: its exit status (-1 if it could not start or ran out of time), stdout and stderr. */
    record Outcome(int status, String stdout, String stderr) {
        boolean ok() {
            return status == 0;
        }

        /** The reason, for a skipped anchor: the last line of stderr, or the status. */
        String why() {
            String last = stderr.strip().lines().reduce((a, b) -> b).orElse("");
            return last.isEmpty() ? "exit status " + status : last + " (exit status " + status + ")";
        }
    }

    /** Runs {@code command} in {@code dir}, its output through temporary files there (removed after). */
    static Outcome exec(List<String> command, Path dir, long seconds) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile(dir, "out-", ".txt");
            err = Files.createTempFile(dir, "err-", ".txt");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return new Outcome(-1, "", "did not end within " + seconds + " s");
            }
            return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Outcome(-1, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, "", "interrupted");
        } finally {
            for (Path p : new Path[] {out, err}) {
                if (p != null) {
                    p.toFile().delete();
                }
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind harms nothing
        }
    }
}
