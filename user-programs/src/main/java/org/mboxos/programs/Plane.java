package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Sys;

/** The teaching kernel's plane: an animation flying across one screen row. */
public final class Plane extends Ramfile {
    private static final String PLANE = " ---=>";

    public Plane() {
        super("plane", "plane [ROW=6] [PASSES=forever] [MS=50] [WIDTH=60]: fly a plane across screen row ROW");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        int row = intArg(args, 0, 6);
        long passes = longArg(args, 1, Long.MAX_VALUE);
        long ms = longArg(args, 2, 50);
        int width = intArg(args, 3, 60);
        for (long pass = 0; pass < passes; pass++) {
            sys.clearRow(row);
            for (int x = 0; x + PLANE.length() <= width; x++) {
                sys.printAt(row, x, PLANE);
                sys.sleep(ms);
            }
        }
        return 0;
    }
}
