package org.mboxos.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mboxos.kernel.Ramdisk;

/**
 * The launcher's command line: options first, then (for run) the program and its arguments.
 *
 * @param config   config/application.conf, then --config files, then --set and --seed, over reference.conf
 * @param forTime  --for: stop the run then and exit 0
 * @param trace    --trace: the JSON-lines trace file
 * @param ramdisk  every program on the class path and in --programs jars
 * @param keys     --keys TEXT (with \\n-style escapes) or --keys-file FILE: typed in after boot
 * @param keyInterval --key-interval: time between scripted keys (kernel.key-interval if absent)
 * @param tty      keys come from the terminal in raw mode: --tty, or by default when stdin is one
 * @param log      --log: where the log goes, "stderr" or a file; absent: a new file when stdout
 *                 is a terminal (so the screen stays clean), else stderr
 */
record Options(Config config, Optional<Duration> forTime, Optional<Path> trace, Ramdisk ramdisk,
        String program, List<String> args, Optional<byte[]> keys, Optional<Duration> keyInterval, boolean tty,
        Optional<String> log) {

    /** The launcher's own options; they may come before or after the program name. */
    private static final Set<String> OPTIONS = Set.of("--for", "--trace", "--config", "--set", "--seed", "--programs",
            "--keys", "--keys-file", "--key-interval", "--log");

    /**
     * Parses {@code argv} from index {@code from}. Launcher options are taken wherever they
     * stand; the first other word is the program, the rest are its arguments, and everything
     * after {@code --} goes to the program untouched.
     */
    static Options parse(String[] argv, int from, boolean wantProgram) {
        Path configDir = Path.of(System.getProperty("mboxos.config.dir", "config"));
        Config overrides = ConfigFactory.empty();
        List<Path> configFiles = new ArrayList<>();
        List<URL> jars = new ArrayList<>();
        Duration forTime = null;
        Path trace = null;
        byte[] keys = null;
        Duration keyInterval = null;
        boolean tty = false;
        String log = null;
        String program = null;
        List<String> args = new ArrayList<>();
        for (int i = from; i < argv.length; i++) {
            String opt = argv[i];
            if (opt.equals("--")) { // everything after -- belongs to the program
                args.addAll(List.of(argv).subList(i + 1, argv.length));
                break;
            }
            if (opt.equals("--tty")) {
                tty = true;
                continue;
            }
            if (!OPTIONS.contains(opt)) {
                if (opt.startsWith("--") && program == null) {
                    throw new Main.UsageError("unknown option " + opt + " (see: mboxos help)");
                }
                if (program == null && wantProgram) {
                    program = opt;
                } else if (wantProgram) {
                    args.add(opt);
                } else {
                    throw new Main.UsageError("unexpected argument '" + opt + "'");
                }
                continue;
            }
            if (i + 1 >= argv.length) {
                throw new Main.UsageError(opt + " needs a value");
            }
            String value = argv[++i];
            switch (opt) {
                case "--for" -> forTime = duration(opt, value);
                case "--trace" -> trace = Path.of(value);
                case "--config" -> configFiles.add(existing(opt, value));
                case "--set" -> overrides = set(value).withFallback(overrides);
                case "--seed" -> overrides = ConfigFactory.parseString("kernel.seed = " + number(opt, value))
                        .withFallback(overrides);
                case "--programs" -> jars.add(jar(existing(opt, value)));
                case "--keys" -> keys = unescape(value);
                case "--keys-file" -> keys = read(existing(opt, value));
                case "--key-interval" -> keyInterval = duration(opt, value);
                case "--log" -> log = value;
                default -> throw new IllegalStateException(opt);
            }
        }
        if (wantProgram && program == null) {
            throw new Main.UsageError("run needs a program name (see: mboxos list)");
        }
        Config config = overrides;
        for (int k = configFiles.size() - 1; k >= 0; k--) {
            config = config.withFallback(ConfigFactory.parseFile(configFiles.get(k).toFile()));
        }
        Path base = configDir.resolve("application.conf");
        if (Files.exists(base)) {
            config = config.withFallback(ConfigFactory.parseFile(base.toFile()));
        }
        ClassLoader loader = jars.isEmpty() ? Main.class.getClassLoader()
                : new URLClassLoader(jars.toArray(URL[]::new), Main.class.getClassLoader());
        try {
            config = ConfigFactory.load(loader, config);
        } catch (ConfigException e) {
            throw new Main.UsageError("bad configuration: " + e.getMessage());
        }
        return new Options(config, Optional.ofNullable(forTime), Optional.ofNullable(trace), Ramdisk.load(loader),
                program, List.copyOf(args), Optional.ofNullable(keys), Optional.ofNullable(keyInterval),
                tty || (keys == null && Boolean.getBoolean("mboxos.stdin.tty")), Optional.ofNullable(log));
    }

    /** Turns \n, \r, \t, \b, \e, \\ and \xHH into the bytes they name. */
    static byte[] unescape(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'b' -> out.write(8);
                case 'e' -> out.write(27);
                case '\\' -> out.write('\\');
                case 'x' -> {
                    try {
                        out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    } catch (RuntimeException bad) {
                        throw new Main.UsageError("--keys: \\x needs two hex digits");
                    }
                    i += 2;
                }
                default -> throw new Main.UsageError("--keys: unknown escape \\" + e);
            }
        }
        return out.toByteArray();
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new Main.UsageError("--keys-file: cannot read " + p + ": " + e.getMessage());
        }
    }

    private static Config set(String keyValue) {
        try {
            return Setting.parse(keyValue);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError(e.getMessage());
        }
    }

    private static Duration duration(String opt, String value) {
        try {
            return ConfigFactory.parseString("d = " + value).getDuration("d");
        } catch (ConfigException e) {
            throw new Main.UsageError(opt + " wants a duration such as 10s or 5m, not '" + value + "'");
        }
    }

    private static long number(String opt, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new Main.UsageError(opt + " wants a number, not '" + value + "'");
        }
    }

    private static Path existing(String opt, String value) {
        Path p = Path.of(value);
        if (!Files.isRegularFile(p)) {
            throw new Main.UsageError(opt + ": no file " + value);
        }
        return p;
    }

    private static URL jar(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new Main.UsageError("--programs: cannot read " + p);
        }
    }

}
