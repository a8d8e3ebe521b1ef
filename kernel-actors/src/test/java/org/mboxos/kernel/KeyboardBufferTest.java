package org.mboxos.kernel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mboxos.api.Errno;
import org.mboxos.api.Program;
import org.mboxos.api.Recv;
import org.mboxos.api.SysError;
import org.mboxos.kernel.dev.Keyboard;

/**
 * The keyboard buffer is the mailbox named "keyboard": only the keyboard device puts keys in
 * it; a process may open it and read keys from it (get_char does), but not send into it or
 * destroy it (EPERM).
 */
class KeyboardBufferTest {
    private final CheckedPrograms checked = new CheckedPrograms();

    @Test
    void processesMayReadTheKeyboardBufferButNeverWriteOrDestroyIt() throws Exception {
        AtomicBoolean refused = new AtomicBoolean();
        Program init = checked.prog("init", (sys, args) -> {
            int fd = sys.mboxOpen(Keyboard.BOX);
            SysError send = assertThrows(SysError.class, () -> sys.mboxSend(fd, new byte[0]));
            assertEquals(Errno.EPERM, send.errno(), send.getMessage());
            assertEquals(Errno.EPERM, assertThrows(SysError.class, () -> sys.mboxSend(fd, new byte[] {1}, 0)).errno());
            assertEquals(Errno.EPERM, assertThrows(SysError.class, () -> sys.mboxDestroy(Keyboard.BOX)).errno());
            assertEquals(Errno.EAGAIN, assertThrows(SysError.class,
                    () -> sys.mboxRecv(fd, Recv.upTo(1).noWait())).errno(), "nothing was put in the buffer");
            refused.set(true); // now the test types two keys
            assertArrayEquals(new byte[] {'a'}, sys.mboxRecv(fd, Recv.upTo(1)).data());
            assertEquals('b', sys.getChar());
            sys.mboxClose(fd);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init)) {
            var status = k.start("init");
            await().atMost(Duration.ofSeconds(10)).until(() -> refused.get() || status.isDone());
            k.machine().press((byte) 'a');
            k.machine().press((byte) 'b');
            int initStatus = status.get(KernelHarness.HANG.toSeconds(), TimeUnit.SECONDS);
            checked.checkFailures();
            assertEquals(0, initStatus);
            assertEquals(2, k.events("recv").size(), "both keys were read, once each");
        }
    }
}
