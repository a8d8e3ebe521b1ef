package org.mboxos.kernel.ipc;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ends of processes that wait for their synchronisation objects to let go of them: each
 * object answers after every request the process made of it (so all of them are traced), and
 * the process table hears that the end is complete after the last. Plain state of the
 * {@link Registry}, touched only on its turns.
 */
final class Releases {
    /** One end: how many objects still have to let go, and which (one that is lost no longer counts). */
    private static final class Ending {
        final Registry.ProcessEnded ended;
        final Set<Long> objects = new HashSet<>();
        int waitingFor = 1; // the registry's own share, given back by start()

        Ending(Registry.ProcessEnded ended) {
            this.ended = ended;
        }
    }

    private final Map<Long, Ending> ending = new HashMap<>();

    /** {@code ended} begins: the objects told of it are then {@link #waitFor added}, and the end {@link #started}. */
    void begin(Registry.ProcessEnded ended) {
        ending.put(ended.pid(), new Ending(ended));
    }

    /** Object {@code id} was told that {@code pid} ended and will let go. */
    void waitFor(long pid, long id) {
        Ending end = ending.get(pid);
        end.objects.add(id);
        end.waitingFor++;
    }

    /** Every object has been told: the end completes as soon as all have let go (at once if none has to). */
    void started(long pid) {
        letGo(pid);
    }

    /** One more object has let go of {@code pid}. */
    void letGo(long pid) {
        Ending end = ending.get(pid);
        if (end != null && --end.waitingFor == 0) {
            ending.remove(pid);
            end.ended.done().tell(pid);
        }
    }

    /** Object {@code id} is lost (its actor stopped): it will not let go of anyone now. */
    void lost(long id) {
        for (Ending end : List.copyOf(ending.values())) {
            if (end.objects.remove(id)) {
                letGo(end.ended.pid());
            }
        }
    }

    /** A fault in the registry: every end completes now, so that kill and exit still return. */
    void completeAll() {
        ending.values().forEach(e -> e.ended.done().tell(e.ended.pid()));
        ending.clear();
    }
}
