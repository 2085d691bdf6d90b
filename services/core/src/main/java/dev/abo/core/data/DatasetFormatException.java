package dev.abo.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file that cannot be read as its format says: malformed XML/JSON/IDL, a missing field, or
 * (in {@link ReadOptions.OnInvalidObject#FAIL strict} mode) an invalid object.
 *
 * <p>The message is {@code "<file>: <location>: <problem>"}, where the location is the line (IDL),
 * the object (VOC: 1-based index and class name; COCO: annotation id) or the parser's line and column;
 * it is omitted for problems of the whole file.
 */
public class DatasetFormatException extends IOException {

    private final transient Path file;
    private final String location;
    private final String problem;

    public DatasetFormatException(Path file, String location, String problem) {
        this(file, location, problem, null);
    }

    public DatasetFormatException(Path file, String location, String problem, Throwable cause) {
        super(format(file, location, problem), cause);
        this.file = file;
        this.location = location;
        this.problem = problem;
    }

    static String format(Path file, String location, String problem) {
        return location == null ? file + ": " + problem : file + ": " + location + ": " + problem;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }

    /** Where in the file, or {@code null} for the whole file. */
    public String location() {
        return location;
    }

    /** What is wrong, without file and location. */
    public String problem() {
        return problem;
    }
}
