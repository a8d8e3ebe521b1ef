package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kernel's settings are read once, with reference.conf's defaults, and bad values are refused at boot. */
class KernelSettingsTest {

    private static KernelSettings read(Map<String, Object> overrides) {
        return KernelSettings.from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.defaultReference()));
    }

    @Test
    void theDetectorSearchesTenMillisecondsAfterAChangeByDefault() {
        assertEquals(Duration.ofMillis(10), read(Map.of()).deadlockCheck());
        assertEquals(Duration.ZERO, read(Map.of("kernel.deadlock-check", "0ms")).deadlockCheck());
    }

    @Test
    void aNegativeDelayOrAZeroLimitIsRefusedWithTheKeyNamed() {
        var delay = assertThrows(IllegalArgumentException.class, () -> read(Map.of("kernel.deadlock-check", "-1ms")));
        assertEquals("kernel.deadlock-check must not be negative, not PT-0.001S", delay.getMessage());
        var limit = assertThrows(IllegalArgumentException.class, () -> read(Map.of("kernel.num-pcbs", 0)));
        assertEquals("kernel.num-pcbs must be at least 1, not 0", limit.getMessage());
    }
}
