package dev.abo.core.data;

import dev.abo.core.geometry.Box;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a Brainwash-style IDL file: one image per line,
 * {@code "path": (x1, y1, x2, y2), (x1, y1, x2, y2);} or {@code "path";} for an image without
 * boxes. Every entry ends with {@code ;} except the last, which may end with {@code .}, {@code ;}
 * or nothing; blank lines are ignored. Coordinates are continuous pixels of the image file (floats
 * allowed), so {@link ReadOptions.Coordinates} does not apply.
 *
 * <p>Corner order: some IDL files give {@code x2 < x1} or {@code y2 < y1}; the reader takes
 * {@code min/max} per axis, i.e. the box spanned by the two corners, whatever their order. The box
 * is then validated against the image size. The one class is {@code "head"}.
 *
 * <p>The image path is relative to the IDL file's folder and its size is read from its header; when
 * the file is missing, the size given to {@link #read(Path, ImageSize)} is used, and {@link
 * #read(Path)} fails. {@link LabeledImage#id()} is the path as written in the file.
 */
public final class IdlReader {

    /** The class list of IDL datasets. */
    public static final List<String> CLASSES = List.of("head");

    private static final Pattern NUMBER =
            Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|[-+]?(NaN|Infinity)");

    private final ReadOptions options;

    public IdlReader(ReadOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Reads {@code idl}; every image file must exist. */
    public ReadReport read(Path idl) throws IOException {
        return read(idl, Optional.empty());
    }

    /** Reads {@code idl}; images whose file is missing get {@code missingImageSize}. */
    public ReadReport read(Path idl, ImageSize missingImageSize) throws IOException {
        return read(idl, Optional.of(missingImageSize));
    }

    private ReadReport read(Path idl, Optional<ImageSize> missingImageSize) throws IOException {
        if (!Files.isRegularFile(idl)) {
            throw new DatasetFormatException(idl, null, "file not found");
        }
        List<String> lines = Files.readAllLines(idl);
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) {
            last--;
        }
        Path folder = idl.toAbsolutePath().getParent();
        InvalidObjects invalid = new InvalidObjects(options.onInvalidObject());
        List<LabeledImage> images = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = "line " + (i + 1);
            Entry entry = new EntryParser(idl, where, lines.get(i), i == last).parse();
            Path file = folder.resolve(entry.path);
            Optional<ImageSize> onDisk = ImageHeader.size(file);
            if (onDisk.isEmpty() && missingImageSize.isEmpty()) {
                throw new DatasetFormatException(idl, where, "image file " + entry.path
                        + " not found; give the image size explicitly to read IDL files without their images");
            }
            ImageSize size = onDisk.or(() -> missingImageSize).orElseThrow();
            List<LabeledObject> objects = new ArrayList<>();
            for (int b = 0; b < entry.boxes.size(); b++) {
                Box box = entry.boxes.get(b);
                String reason = box.invalidReason(size.width(), size.height());
                if (reason != null) {
                    invalid.reject(idl, where + ", box " + (b + 1), SkippedObject.Kind.INVALID_BOX, reason);
                    continue;
                }
                objects.add(LabeledObject.of(box, 0));
            }
            images.add(new LabeledImage(entry.path, file, size.width(), size.height(), objects));
        }
        return new ReadReport(new Dataset(idl.getFileName().toString(), CLASSES, images), invalid.skipped());
    }

    private record Entry(String path, List<Box> boxes) {
    }

    /** A hand-written parser of one entry line; errors name the 1-based column. */
    private static final class EntryParser {
        private final Path idl;
        private final String where;
        private final String s;
        private final boolean lastEntry;
        private int pos;

        EntryParser(Path idl, String where, String line, boolean lastEntry) {
            this.idl = idl;
            this.where = where;
            this.s = line;
            this.lastEntry = lastEntry;
        }

        Entry parse() throws DatasetFormatException {
            expect('"');
            int end = s.indexOf('"', pos);
            if (end < 0) {
                throw error("unterminated image path");
            }
            String path = s.substring(pos, end);
            if (path.isEmpty()) {
                throw error("empty image path");
            }
            pos = end + 1;
            List<Box> boxes = new ArrayList<>();
            if (peek() == ':') {
                pos++;
                boxes.add(box());
                while (peek() == ',') {
                    pos++;
                    boxes.add(box());
                }
            }
            char c = peek();
            if (c == ';' || (c == '.' && lastEntry)) {
                pos++;
            } else if (c == '.') {
                throw error("'.' may only end the last entry, use ';'");
            } else if (!(c == 0 && lastEntry)) {
                throw expected((boxes.isEmpty() ? "':' or " : "',' or ") + (lastEntry ? "';' or '.'" : "';'"));
            }
            if (peek() != 0) {
                throw error("unexpected text after the end of the entry");
            }
            return new Entry(path, boxes);
        }

        private Box box() throws DatasetFormatException {
            expect('(');
            double x1 = number();
            expect(',');
            double y1 = number();
            expect(',');
            double x2 = number();
            expect(',');
            double y2 = number();
            expect(')');
            return new Box(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
        }

        private double number() throws DatasetFormatException {
            peek();
            int start = pos;
            while (pos < s.length() && ",;:()".indexOf(s.charAt(pos)) < 0 && !Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            String token = s.substring(start, pos);
            if (!NUMBER.matcher(token).matches()) {
                pos = start;
                throw token.isEmpty() ? expected("a number") : error("expected a number, found '" + token + "'");
            }
            return Double.parseDouble(token);
        }

        private void expect(char c) throws DatasetFormatException {
            if (peek() != c) {
                throw expected("'" + c + "'");
            }
            pos++;
        }

        /** The next non-blank character (0 at the end of the line), skipping blanks. */
        private char peek() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        private DatasetFormatException error(String problem) {
            return new DatasetFormatException(idl, where + ", column " + (pos + 1), problem);
        }

        /** "expected X, found 'c'" at the current position. */
        private DatasetFormatException expected(String what) {
            return error("expected " + what + ", found "
                    + (pos < s.length() ? "'" + s.charAt(pos) + "'" : "the end of the line"));
        }
    }
}
