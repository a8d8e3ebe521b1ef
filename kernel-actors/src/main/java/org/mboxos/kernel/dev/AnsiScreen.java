package org.mboxos.kernel.dev;

import java.util.function.Consumer;

/**
 * A console screen for a terminal. The rows programs draw on stay in place: the first row
 * write clears the screen, and the terminal's scrolling region is kept below the lowest row
 * drawn so far, so that stream text (and the log on stderr) scrolls underneath. Row writes save
 * the cursor, move to the row (1-based on the terminal), write, and restore the cursor.
 */
final class AnsiScreen implements Console.Screen {
    private static final String ESC = "\u001b";
    private final Consumer<String> out;
    private final int height;
    private int reserved; // rows 0..reserved-1 are drawn on; scrolling happens below them

    /** {@code height}: the terminal's lines. */
    AnsiScreen(Consumer<String> out, int height) {
        this.out = out;
        this.height = height;
    }

    @Override
    public void write(String text) {
        out.accept(text);
    }

    @Override
    public void writeAt(int row, int col, String text) {
        reserve(row);
        out.accept(ESC + "7" + ESC + "[" + (row + 1) + ";" + (col + 1) + "H" + text + ESC + "8");
    }

    @Override
    public void clearRow(int row) {
        reserve(row);
        out.accept(ESC + "7" + ESC + "[" + (row + 1) + ";1H" + ESC + "[2K" + ESC + "8");
    }

    /** Keeps row {@code row} and a blank line under it out of the scrolling region. */
    private void reserve(int row) {
        if (row < reserved || row + 3 >= height) {
            return;
        }
        if (reserved == 0) {
            out.accept(ESC + "[2J");
        }
        reserved = row + 1;
        out.accept(ESC + "[" + (reserved + 2) + ";" + height + "r" + ESC + "[" + height + ";1H");
    }

    /** Gives the terminal back its whole screen for scrolling, the cursor on its last line. */
    static String restore(int height) {
        return ESC + "[r" + ESC + "[" + height + ";1H\n";
    }
}
