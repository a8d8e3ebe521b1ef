package org.mboxos.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;

/** One {@code --set KEY=VALUE} setting, as run and bench take it. */
public final class Setting {
    private Setting() {}

    /**
     * {@code KEY=VALUE} as configuration: VALUE in HOCON syntax (a number, a duration, a list),
     * or taken as a plain string if it is not. IllegalArgumentException without '='.
     */
    public static Config parse(String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set wants key=value, not '" + keyValue + "'");
        }
        String key = keyValue.substring(0, eq).trim();
        String value = keyValue.substring(eq + 1).trim();
        try {
            return ConfigFactory.parseString(key + " = " + value);
        } catch (ConfigException e) {
            return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value));
        }
    }
}
