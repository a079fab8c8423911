package dev.revstream.tools.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;

/** A CRM export format: reads an export into deal events. A new format is one more implementation. */
public interface CrmFormat {
    /** The name used by {@code import-csv --format}. */
    String name();

    /**
     * @param file the opportunities export; related files (accounts, products, ...) are looked up beside it
     * @param zone dates in the export are midnights in this zone
     */
    CrmRecords read(Path file, ZoneId zone) throws IOException;
}
