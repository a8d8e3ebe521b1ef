package org.mboxos.kernel.ipc;

import org.mboxos.api.Errno;
import org.mboxos.api.Sys;
import org.mboxos.kernel.KernelSettings;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.sync.SyncObject;

/**
 * The rules an open must pass, for every kind of named object. Each check returns the
 * failure to answer, or null when the open may go on.
 */
final class Names {
    private Names() {}

    /** Why an open of {@code name} must fail, or null; {@code existing} is what the name names now, if anything. */
    static Syscall.Result refusal(String name, Registry.Spec spec, NamedObject existing, int boxes, int syncs,
            KernelSettings settings) {
        Syscall.Result refused = check(name, spec, settings);
        if (refused != null) {
            return refused;
        }
        return existing != null ? checkExisting(name, spec, existing.syncKind(), existing.priorities)
                : checkCreate(name, spec, boxes, syncs, settings);
    }

    /** What any open is checked for, whether or not the name exists. */
    private static Syscall.Result check(String name, Registry.Spec spec, KernelSettings settings) {
        if (name.isEmpty()) {
            return Syscall.Result.fail(Errno.EINVAL, "a " + kind(spec) + " name cannot be empty");
        }
        if (name.length() > settings.mboxNameLength()) {
            return Syscall.Result.fail(Errno.ENAMETOOLONG, "'" + name + "' is longer than kernel.mbox-name-length ("
                    + settings.mboxNameLength() + "), the limit for every kernel object's name");
        }
        if (!(spec instanceof Registry.Spec.Box box)) {
            return null;
        }
        if (name.startsWith(Registry.INBOX_PREFIX)) {
            return Syscall.Result.fail(Errno.EINVAL, "names starting with '" + Registry.INBOX_PREFIX + "' are the kernel's");
        }
        if (box.capacity() < 0 || box.capacity() > settings.maxMboxLength()) {
            return Syscall.Result.fail(Errno.EINVAL, "capacity " + box.capacity() + " is outside 0.."
                    + settings.maxMboxLength() + " (kernel.max-mbox-length)");
        }
        if (box.flags().contains(Sys.Open.EXCLUSIVE) && !box.flags().contains(Sys.Open.CREATE)) {
            return Syscall.Result.fail(Errno.EINVAL, "EXCLUSIVE needs CREATE");
        }
        return null;
    }

    /**
     * An open of an object that exists; {@code existing} is its kind, or null for a box, and
     * {@code priorities} whether a box orders by priority.
     */
    private static Syscall.Result checkExisting(String name, Registry.Spec spec, SyncObject.Kind existing, boolean priorities) {
        return switch (spec) {
            case Registry.Spec.Box b -> b.flags().contains(Sys.Open.EXCLUSIVE)
                    ? Syscall.Result.fail(Errno.EEXIST, "box '" + name + "' already exists")
                    : b.flags().contains(Sys.Open.PRIORITY) && !priorities
                    ? Syscall.Result.fail(Errno.EINVAL, "box '" + name + "' exists without priorities") : null;
            case Registry.Spec.Sync s -> s.kind() != existing
                    ? Syscall.Result.fail(Errno.EINVAL, "'" + name + "' is a " + existing.label() + ", not a "
                            + s.kind().label()) : null;
        };
    }

    /** An open that would create the object, with {@code boxes} and {@code syncs} in the tables now. */
    private static Syscall.Result checkCreate(String name, Registry.Spec spec, int boxes, int syncs, KernelSettings settings) {
        return switch (spec) {
            case Registry.Spec.Box b -> !b.flags().contains(Sys.Open.CREATE)
                    ? Syscall.Result.fail(Errno.ENOENT, "no box named '" + name + "'")
                    : boxes >= settings.maxMboxen()
                    ? Syscall.Result.fail(Errno.ENFILE, "mailbox table full (kernel.max-mboxen = " + settings.maxMboxen() + ")")
                    : null;
            case Registry.Spec.Sync s -> s.kind() == SyncObject.Kind.SEMAPHORE && s.value() < 0
                    ? Syscall.Result.fail(Errno.EINVAL, "a semaphore starts with 0 or more units, not " + s.value())
                    : s.kind() == SyncObject.Kind.BARRIER && s.value() < 1
                    ? Syscall.Result.fail(Errno.EINVAL, "a barrier needs at least 1 party, not " + s.value())
                    : syncs >= settings.maxSyncObjects()
                    ? Syscall.Result.fail(Errno.ENFILE, "synchronisation object table full (kernel.max-sync-objects = "
                            + settings.maxSyncObjects() + ")")
                    : null;
        };
    }

    private static String kind(Registry.Spec spec) {
        return switch (spec) {
            case Registry.Spec.Box b -> "box";
            case Registry.Spec.Sync s -> s.kind().label();
        };
    }
}
