package org.mboxos.kernel.dev;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A console screen for pipes and tests. Keeps each row's characters; every row update writes
 * one line, {@code [row N] CONTENT}, with the row's whole content after the update. Stream text
 * passes through as it is.
 */
final class LineScreen implements Console.Screen {
    private final Consumer<String> out;
    private final Map<Integer, StringBuilder> rows = new HashMap<>();
    private boolean midLine;

    LineScreen(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void write(String text) {
        out.accept(text);
        if (!text.isEmpty()) {
            midLine = text.charAt(text.length() - 1) != '\n';
        }
    }

    @Override
    public void writeAt(int row, int col, String text) {
        StringBuilder line = rows.computeIfAbsent(row, r -> new StringBuilder());
        while (line.length() < col + text.length()) {
            line.append(' ');
        }
        line.replace(col, col + text.length(), text);
        emit(row, line.toString().stripTrailing());
    }

    @Override
    public void clearRow(int row) {
        rows.remove(row);
        emit(row, "");
    }

    private void emit(int row, String content) {
        out.accept((midLine ? "\n" : "") + "[row " + row + "] " + content + "\n");
        midLine = false;
    }
}
