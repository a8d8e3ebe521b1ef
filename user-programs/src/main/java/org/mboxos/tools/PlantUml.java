package org.mboxos.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;
import net.sourceforge.plantuml.core.DiagramDescription;

/** Renders PlantUML source to SVG or PNG in memory; sequence diagrams need no Graphviz. */
final class PlantUml {
    private PlantUml() {}

    enum Format { SVG, PNG }

    /** The image; fails with IllegalStateException if PlantUML finds the source wrong. */
    static byte[] render(String source, Format format) {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("PLANTUML_LIMIT_SIZE") == null) {
            System.setProperty("PLANTUML_LIMIT_SIZE", "16384"); // PNG pixels per side (default 4096)
        }
        SourceStringReader reader = new SourceStringReader(source);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DiagramDescription d;
        try {
            d = reader.outputImage(out, new FileFormatOption(format == Format.SVG ? FileFormat.SVG : FileFormat.PNG));
        } catch (IOException e) {
            throw new IllegalStateException("PlantUML could not write the image: " + e.getMessage(), e);
        }
        if (d == null || String.valueOf(d.getDescription()).contains("Error")) {
            throw new IllegalStateException("PlantUML rejected the diagram source (a bug in trace draw)");
        }
        return out.toByteArray();
    }
}
