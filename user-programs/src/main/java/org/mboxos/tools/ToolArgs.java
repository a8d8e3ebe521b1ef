package org.mboxos.tools;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of one {@code trace} tool: exactly one trace file and the options the tool
 * allows ({@code --json} and {@code --all} are flags; the others take a value). Anything else is a
 * {@link UsageError}.
 */
record ToolArgs(Path file, Map<String, String> options) {

    /** A bad command line: one line for the user, exit status 2. */
    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    private static final Set<String> FLAGS = Set.of("--json", "--all");

    static ToolArgs parse(String tool, List<String> args, Set<String> allowed) {
        List<String> files = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-") || a.equals("-")) {
                files.add(a);
            } else if (!allowed.contains(a)) {
                throw new UsageError("trace " + tool + ": unknown option " + a);
            } else if (FLAGS.contains(a)) {
                options.put(a, "true");
            } else if (i + 1 >= args.size()) {
                throw new UsageError("trace " + tool + ": " + a + " needs a value");
            } else {
                options.put(a, args.get(++i));
            }
        }
        if (files.size() != 1) {
            throw new UsageError("trace " + tool + ": give one trace file (got " + files.size() + ")");
        }
        return new ToolArgs(Path.of(files.get(0)), options);
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    Optional<String> get(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /** A duration option ({@code 1500ms}, {@code 2s}, {@code 1m}) in nanoseconds. */
    Optional<Long> nanos(String name) {
        return get(name).map(v -> {
            try {
                Duration d = ConfigFactory.parseString("d = \"" + v.replace("\"", "") + "\"").getDuration("d");
                return d.toNanos();
            } catch (ConfigException e) {
                throw new UsageError(name + ": '" + v + "' is not a duration (e.g. 500ms, 2s, 1m)");
            }
        });
    }

    /** A comma-separated list of numbers. */
    Optional<List<Long>> numbers(String name) {
        return get(name).map(v -> {
            List<Long> out = new ArrayList<>();
            for (String part : v.split(",")) {
                try {
                    out.add(Long.parseLong(part.trim()));
                } catch (NumberFormatException e) {
                    throw new UsageError(name + ": '" + part + "' is not a number");
                }
            }
            return out;
        });
    }

    int positive(String name, int otherwise) {
        return get(name).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through to the usage error
            }
            throw new UsageError(name + ": '" + v + "' is not a positive number");
        }).orElse(otherwise);
    }
}
