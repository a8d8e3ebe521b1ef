package org.mboxos.api;

import java.util.List;

/**
 * A program on the ramdisk. Implementations are found with {@link java.util.ServiceLoader}
 * (list them in {@code META-INF/services/org.mboxos.api.Program}), so any jar on the class
 * path can add programs.
 *
 * <p>{@link #main} is plain sequential Java run on the process's own virtual thread; every
 * interaction with the rest of the system goes through {@link Sys}. Returning from main is
 * {@code exit(status)}.
 */
public interface Program {

    /** The name {@code spawn} and {@code ./mboxos run} know it by. */
    String name();

    /** One line for {@code ./mboxos list}, with the arguments it takes. */
    String description();

    /** The program itself; returns the exit status. */
    int main(Sys sys, List<String> args) throws Exception;

    /** The body of a program, for {@link #of}. */
    @FunctionalInterface
    interface Main {
        int main(Sys sys, List<String> args) throws Exception;
    }

    /** A program from a lambda (tests, embedding). */
    static Program of(String name, String description, Main main) {
        return new Program() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public int main(Sys sys, List<String> args) throws Exception {
                return main.main(sys, args);
            }
        };
    }
}
