package org.mboxos.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's "write your own program": compile one, jar it, and run it with --programs. */
class ProgramsJarIT {

    private static final String SOURCE = """
            package my.programs;

            import java.util.List;
            import org.mboxos.api.Program;
            import org.mboxos.api.Sys;

            public final class Hello implements Program {
                public String name() { return "hello-jar"; }
                public String description() { return "hello-jar NAME: greets NAME from a child"; }
                public int main(Sys sys, List<String> args) {
                    if (args.size() == 2) {
                        sys.println("hello, " + args.get(0) + ", from pid " + sys.getpid());
                        return 7;
                    }
                    long child = sys.spawn("hello-jar", args.get(0), "child");
                    return sys.waitpid(child);
                }
            }
            """;

    @Test
    void aProgramInAUsersJarRunsAndIsListed(@TempDir Path dir) throws IOException {
        Path jar = buildJar(dir);

        LauncherHarness run = LauncherHarness.run("run", "hello-jar", "world", "--programs", jar.toString());
        assertEquals(7, run.awaitExit(), "the child's status, through waitpid, is pid 1's and the run's");
        run.awaitOut("hello, world, from pid 2");

        LauncherHarness list = LauncherHarness.run("list", "--programs", jar.toString());
        assertEquals(0, list.awaitExit());
        assertTrue(list.awaitOut("hello-jar NAME: greets NAME from a child").contains("robinhood"),
                "the jar's program is listed beside the ramdisk's own");
    }

    /** Compiles {@link #SOURCE} against the API jar and jars it with its service file. */
    private static Path buildJar(Path dir) throws IOException {
        Path src = dir.resolve("src/my/programs/Hello.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "21",
                "-cp", apiJar(), "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "the sample program compiles against the API");
        Path jar = dir.resolve("my-programs.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                add(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
            }
            add(out, "META-INF/services/org.mboxos.api.Program", "my.programs.Hello\n".getBytes(UTF_8));
        }
        return jar;
    }

    /** Where the API (org.mboxos.api.Program) was loaded from: the kernel-actors jar, as a user compiles against. */
    private static String apiJar() {
        try {
            return Path.of(org.mboxos.api.Program.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(JarOutputStream jar, String name, byte[] bytes) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(bytes);
        jar.closeEntry();
    }
}
