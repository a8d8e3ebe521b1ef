package org.mboxos.kernel;

import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.mboxos.api.Program;

/**
 * The programs spawn can find, by name. Filled from {@link ServiceLoader} (every jar on the
 * class path that lists {@code org.mboxos.api.Program} implementations) and from explicit
 * additions. Immutable.
 */
public final class Ramdisk {
    private final TreeMap<String, Program> files;

    private Ramdisk(TreeMap<String, Program> files) {
        this.files = files;
    }

    public static Ramdisk empty() {
        return new Ramdisk(new TreeMap<>());
    }

    /** Every program the class loader's service providers offer. */
    public static Ramdisk load(ClassLoader loader) {
        Ramdisk disk = empty();
        for (Program p : ServiceLoader.load(Program.class, loader)) {
            disk = disk.with(p);
        }
        return disk;
    }

    /** A copy with {@code programs} added; a later program replaces one of the same name. */
    public Ramdisk with(Program... programs) {
        TreeMap<String, Program> copy = new TreeMap<>(files);
        for (Program p : programs) {
            copy.put(p.name(), p);
        }
        return new Ramdisk(copy);
    }

    public Optional<Program> find(String name) {
        return Optional.ofNullable(files.get(name));
    }

    /** All programs, sorted by name. */
    public Collection<Program> programs() {
        return Collections.unmodifiableCollection(files.values());
    }
}
