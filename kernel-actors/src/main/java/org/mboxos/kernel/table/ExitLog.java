package org.mboxos.kernel.table;

import java.util.LinkedHashMap;
import java.util.Map;

/** The exit statuses of the last {@code kernel.exit-log-size} processes that ended, for a late waitpid or monitor. */
final class ExitLog extends LinkedHashMap<Long, Integer> {
    private final int keep;

    ExitLog(int keep) {
        this.keep = keep;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
        return size() > keep;
    }
}
