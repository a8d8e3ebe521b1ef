package org.mboxos.kernel.dev;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import org.mboxos.kernel.proc.Syscall;

/**
 * The console device: program output, in the order each process printed it, to a
 * {@link Screen} (a terminal, a pipe, or a test's buffer). The PCB traces each print as the
 * call is made; this actor only writes. The Kernel runs it on the blocking-I/O dispatcher,
 * since a terminal or a pipe may stall a write.
 */
public final class Console extends AbstractOnMessageBehavior<Console.Command> {

    public sealed interface Command {}

    public record Print(String text) implements Command {}

    /** Writes {@code text} on screen row {@code row} from column {@code col}. */
    public record PrintAt(int row, int col, String text) implements Command {}

    public record ClearRow(int row) implements Command {}

    /** Answered once everything printed before it is on the screen. */
    public record Flush(ActorRef<Syscall.Result> replyTo) implements Command {}

    /** Where the console's characters end up: a terminal, a pipe, or a test's buffer. */
    public interface Screen {
        /** Text in the scrolling stream. */
        void write(String text);

        /** Text at a fixed place; the rest of the row stays as it was. */
        void writeAt(int row, int col, String text);

        void clearRow(int row);

        /**
         * For pipes and tests: the stream as it comes, and each row update as one line
         * {@code [row N] CONTENT} showing the whole row after the update.
         */
        static Screen lines(java.util.function.Consumer<String> out) {
            return new LineScreen(out);
        }

        /**
         * For a terminal of {@code height} lines: rows are drawn in place with ANSI cursor moves,
         * and text scrolls below them. Print {@link #restoreTerminal(int)} when done.
         */
        static Screen ansi(java.util.function.Consumer<String> out, int height) {
            return new AnsiScreen(out, height);
        }

        /** Resets the scrolling region of a terminal of {@code height} lines to the whole screen. */
        static String restoreTerminal(int height) {
            return AnsiScreen.restore(height);
        }
    }

    private final Screen screen;

    public static Behavior<Command> create(Screen screen) {
        return Behaviors.setup(ctx -> new Console(ctx, screen));
    }

    private Console(ActorContext<Command> ctx, Screen screen) {
        super(ctx);
        this.screen = screen;
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Print p -> onPrint(p);
            case PrintAt p -> onPrintAt(p);
            case ClearRow c -> onClearRow(c);
            case Flush f -> onFlush(f);
        };
    }

    private Behavior<Command> onPrint(Print p) {
        screen.write(p.text());
        return this;
    }

    private Behavior<Command> onPrintAt(PrintAt p) {
        screen.writeAt(p.row(), p.col(), p.text());
        return this;
    }

    private Behavior<Command> onFlush(Flush f) {
        f.replyTo().tell(Syscall.Result.OK);
        return this;
    }

    private Behavior<Command> onClearRow(ClearRow c) {
        screen.clearRow(c.row());
        return this;
    }
}
