package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Program;

/** A program on the ramdisk: its name and one-line description; subclasses write main. */
abstract class Ramfile implements Program {
    private final String name;
    private final String description;

    Ramfile(String name, String description) {
        this.name = name;
        this.description = description;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    /** Argument {@code i} as an int, or {@code fallback} when absent. */
    static int intArg(List<String> args, int i, int fallback) {
        return i < args.size() ? Integer.parseInt(args.get(i)) : fallback;
    }

    static long longArg(List<String> args, int i, long fallback) {
        return i < args.size() ? Long.parseLong(args.get(i)) : fallback;
    }
}
