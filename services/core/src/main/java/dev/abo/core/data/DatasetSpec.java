package dev.abo.core.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLI's dataset argument, parsed: {@code voc:DIR[:SPLIT]}, {@code coco:FILE.json} or
 * {@code idl:FILE[:WIDTHxHEIGHT]} (the size is used for images whose file is missing).
 *
 * <p>In {@code voc:} the split is the text after the last {@code :}, so a VOC folder whose path
 * contains {@code :} must be given with a split.
 */
public sealed interface DatasetSpec {

    /** The valid forms, for error messages and help texts. */
    String FORMS = "voc:DIR[:SPLIT], coco:FILE.json, idl:FILE[:WIDTHxHEIGHT]";

    /** Reads the dataset. */
    ReadReport read(ReadOptions options) throws IOException;

    /** A VOC folder, optionally restricted to {@code ImageSets/Main/<split>.txt}. */
    record Voc(Path dir, Optional<String> split) implements DatasetSpec {
        @Override
        public ReadReport read(ReadOptions options) throws IOException {
            VocReader reader = new VocReader(options);
            return split.isPresent() ? reader.read(dir, split.get()) : reader.read(dir);
        }
    }

    /** A COCO instances JSON, images in {@link CocoReader#defaultImageDir(Path)}. */
    record Coco(Path file) implements DatasetSpec {
        @Override
        public ReadReport read(ReadOptions options) throws IOException {
            return readCoco(options).report();
        }

        /** Reads the dataset with its COCO category ids. */
        public CocoDataset readCoco(ReadOptions options) throws IOException {
            return new CocoReader(options).read(file);
        }
    }

    /** An IDL file, with the size of images whose file is missing, if given. */
    record Idl(Path file, Optional<ImageSize> missingImageSize) implements DatasetSpec {
        @Override
        public ReadReport read(ReadOptions options) throws IOException {
            IdlReader reader = new IdlReader(options);
            return missingImageSize.isPresent() ? reader.read(file, missingImageSize.get()) : reader.read(file);
        }
    }

    /**
     * Parses the argument.
     *
     * @throws IllegalArgumentException naming the argument and listing the valid forms
     */
    static DatasetSpec parse(String arg) {
        int colon = arg.indexOf(':');
        String kind = colon < 0 ? "" : arg.substring(0, colon);
        String rest = colon < 0 ? "" : arg.substring(colon + 1);
        DatasetSpec spec = switch (kind) {
            case "voc" -> voc(rest);
            case "coco" -> rest.isEmpty() ? null : new Coco(Path.of(rest));
            case "idl" -> idl(rest);
            default -> null;
        };
        if (spec == null) {
            throw new IllegalArgumentException("bad dataset '" + arg + "', expected one of: " + FORMS);
        }
        return spec;
    }

    private static DatasetSpec voc(String rest) {
        int colon = rest.lastIndexOf(':');
        String dir = colon < 0 ? rest : rest.substring(0, colon);
        Optional<String> split = colon < 0 ? Optional.empty() : Optional.of(rest.substring(colon + 1));
        if (dir.isEmpty() || split.filter(String::isEmpty).isPresent()) {
            return null;
        }
        return new Voc(Path.of(dir), split);
    }

    private static DatasetSpec idl(String rest) {
        Matcher m = Pattern.compile("(.+):(\\d{1,6})x(\\d{1,6})").matcher(rest);
        if (m.matches()) {
            int w = Integer.parseInt(m.group(2));
            int h = Integer.parseInt(m.group(3));
            return w > 0 && h > 0 ? new Idl(Path.of(m.group(1)), Optional.of(new ImageSize(w, h))) : null;
        }
        return rest.isEmpty() ? null : new Idl(Path.of(rest), Optional.empty());
    }
}
