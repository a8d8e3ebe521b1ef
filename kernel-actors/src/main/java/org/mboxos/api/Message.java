package org.mboxos.api;

import java.nio.charset.StandardCharsets;

/** A received message: who sent it and its bytes (possibly truncated to the receive's max). */
public record Message(long sender, byte[] data) {

    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
