package org.mboxos.kernel;

import java.util.function.Consumer;

/**
 * A console screen for a terminal: row writes save the cursor, move to the row (1-based on
 * the terminal), write, and restore the cursor, so the scrolling stream is undisturbed.
 */
final class AnsiScreen implements Console.Screen {
    private static final String ESC = "\u001b";
    private final Consumer<String> out;

    AnsiScreen(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void write(String text) {
        out.accept(text);
    }

    @Override
    public void writeAt(int row, int col, String text) {
        out.accept(ESC + "7" + ESC + "[" + (row + 1) + ";" + (col + 1) + "H" + text + ESC + "8");
    }

    @Override
    public void clearRow(int row) {
        out.accept(ESC + "7" + ESC + "[" + (row + 1) + ";1H" + ESC + "[2K" + ESC + "8");
    }
}
