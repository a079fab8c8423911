package dev.revstream.job.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row with a value the warehouse cannot write (here a date that is not one, standing in for a bug) is
 * skipped whole, and the rows around it are written: the sink neither fails nor writes half a row.
 */
class ParquetTableTest {
    private record Row(String id, String day, BigDecimal amount) {}

    @Test
    void aRowThatCannotBeWrittenIsSkippedAndTheOthersAreWritten(@TempDir Path dir) throws Exception {
        ParquetTable<Row> table = new ParquetTable<>(
                "rows",
                List.of(
                        Column.of("id", Column.Kind.STRING, Row::id),
                        Column.of("day", Column.Kind.DATE, Row::day),
                        Column.of("amount", Column.Kind.DECIMAL, Row::amount)),
                r -> 0L);
        Path file = dir.resolve("rows.parquet");
        long skippedBefore = ParquetTable.SKIPPED.get();
        try (FSDataOutputStream stream = FileSystem.getLocalFileSystem()
                .create(new org.apache.flink.core.fs.Path(file.toUri()), FileSystem.WriteMode.OVERWRITE)) {
            BulkWriter<Row> writer =
                    table.writerFactory(CompressionCodecName.UNCOMPRESSED).create(stream);
            writer.addElement(new Row("r-1", "2026-11-01", new BigDecimal("10.50")));
            writer.addElement(new Row("r-2", "not a date", new BigDecimal("11")));
            writer.addElement(new Row("r-3", "2026-11-03", new BigDecimal("12.25")));
            writer.finish();
        }
        assertThat(ParquetTable.SKIPPED.get() - skippedBefore).isEqualTo(1);
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            assertThat(reader.getRecordCount()).isEqualTo(2);
        }
    }
}
