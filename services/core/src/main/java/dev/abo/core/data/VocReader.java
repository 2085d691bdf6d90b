package dev.abo.core.data;

import dev.abo.core.geometry.Box;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads a PASCAL VOC folder: {@code Annotations/<id>.xml}, {@code JPEGImages/<id>.jpg} and
 * optionally {@code ImageSets/Main/<split>.txt}.
 *
 * <p>Boxes: VOC corners are 1-based inclusive pixel indices; a box {@code xmin..xmax} covers the
 * continuous interval {@code [xmin-1, xmax]}, so it becomes {@code Box(xmin-1, ymin-1, xmax, ymax)}.
 * Boxes are validated against the declared {@code <size>} (so messages show the file's numbers),
 * then, in {@link ReadOptions.Coordinates#IMAGE_FILE} mode, scaled by jpeg/declared per axis when
 * the JPEG's header size differs from {@code <size>}; a missing JPEG keeps the declared size. The
 * image file is {@code JPEGImages/<id>.jpg} as in the VOC devkit ({@code <filename>} is ignored).
 * Area is the (final) box area; {@code difficult} is kept; crowd is always false. Objects are
 * numbered from 1 in file order in messages.
 */
public final class VocReader {

    /** The 20 VOC classes in the standard order; a class index points into this list. */
    public static final List<String> CLASSES = List.of(
            "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
            "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
            "tvmonitor");

    private final ReadOptions options;

    public VocReader(ReadOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Reads every {@code Annotations/*.xml}, sorted by file name. */
    public ReadReport read(Path vocDir) throws IOException {
        Path annotations = vocDir.resolve("Annotations");
        if (!Files.isDirectory(annotations)) {
            throw new DatasetFormatException(vocDir, null, "not a VOC folder: no Annotations/ directory");
        }
        List<String> ids;
        try (Stream<Path> files = Files.list(annotations)) {
            ids = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".xml"))
                    .sorted()
                    .map(n -> n.substring(0, n.length() - ".xml".length()))
                    .toList();
        }
        return read(vocDir, vocDir.getFileName().toString(), ids);
    }

    /** Reads the images listed in {@code ImageSets/Main/<split>.txt}, in that order. */
    public ReadReport read(Path vocDir, String split) throws IOException {
        Path list = vocDir.resolve("ImageSets").resolve("Main").resolve(split + ".txt");
        if (!Files.isRegularFile(list)) {
            throw new DatasetFormatException(list, null, "split file not found");
        }
        List<String> lines = Files.readAllLines(list);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String id = lines.get(i).strip();
            if (id.isEmpty()) {
                continue;
            }
            if (!Files.isRegularFile(annotationFile(vocDir, id))) {
                throw new DatasetFormatException(list, "line " + (i + 1),
                        "no annotation file Annotations/" + id + ".xml");
            }
            ids.add(id);
        }
        return read(vocDir, vocDir.getFileName() + ":" + split, ids);
    }

    private static Path annotationFile(Path vocDir, String id) {
        return vocDir.resolve("Annotations").resolve(id + ".xml");
    }

    private ReadReport read(Path vocDir, String name, List<String> ids) throws IOException {
        DocumentBuilder builder = newBuilder();
        InvalidObjects invalid = new InvalidObjects(options.onInvalidObject());
        List<LabeledImage> images = new ArrayList<>(ids.size());
        for (String id : ids) {
            images.add(readImage(builder, vocDir, id, invalid));
        }
        return new ReadReport(new Dataset(name, CLASSES, images), invalid.skipped());
    }

    private LabeledImage readImage(DocumentBuilder builder, Path vocDir, String id, InvalidObjects invalid)
            throws IOException {
        Path xml = annotationFile(vocDir, id);
        Element root = parse(builder, xml);
        Element size = child(xml, null, root, "size");
        int w = (int) number(xml, null, size, "width");
        int h = (int) number(xml, null, size, "height");
        if (w <= 0 || h <= 0) {
            throw new DatasetFormatException(xml, null, "declared <size> must be positive, got " + w + "x" + h);
        }
        ImageSize declared = new ImageSize(w, h);
        Path jpeg = vocDir.resolve("JPEGImages").resolve(id + ".jpg");
        ImageFrame frame = ImageFrame.of(declared, jpeg, options.coordinates());

        List<LabeledObject> objects = new ArrayList<>();
        int index = 0;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element object) || !object.getTagName().equals("object")) {
                continue;
            }
            index++;
            String className = text(child(xml, "object " + index, object, "name"));
            String where = "object " + index + " ('" + className + "')";
            Box box = box(xml, where, child(xml, where, object, "bndbox"));
            boolean difficult = flag(xml, where, object, "difficult");
            int classId = CLASSES.indexOf(className);
            if (classId < 0) {
                invalid.reject(xml, where, SkippedObject.Kind.UNKNOWN_CLASS,
                        "unknown class '" + className + "', expected one of the 20 VOC classes");
                continue;
            }
            String reason = box.invalidReason(declared.width(), declared.height());
            if (reason != null) {
                invalid.reject(xml, where, SkippedObject.Kind.INVALID_BOX, reason);
                continue;
            }
            Box scaled = frame.apply(box);
            objects.add(new LabeledObject(scaled, classId, difficult, false, scaled.area()));
        }
        return new LabeledImage(id, jpeg, frame.size().width(), frame.size().height(), objects);
    }

    private static Box box(Path xml, String where, Element bndbox) throws DatasetFormatException {
        double xmin = number(xml, where, bndbox, "xmin");
        double ymin = number(xml, where, bndbox, "ymin");
        double xmax = number(xml, where, bndbox, "xmax");
        double ymax = number(xml, where, bndbox, "ymax");
        return new Box(xmin - 1, ymin - 1, xmax, ymax);
    }

    private static boolean flag(Path xml, String where, Element parent, String tag) throws DatasetFormatException {
        Element e = optionalChild(parent, tag);
        if (e == null) {
            return false;
        }
        return switch (text(e)) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new DatasetFormatException(xml, where,
                    "<" + tag + "> must be 0 or 1, got '" + text(e) + "'");
        };
    }

    private static double number(Path xml, String where, Element parent, String tag) throws DatasetFormatException {
        String s = text(child(xml, where, parent, tag));
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new DatasetFormatException(xml, where, "<" + tag + "> is not a number: '" + s + "'");
        }
    }

    private static Element child(Path xml, String where, Element parent, String tag) throws DatasetFormatException {
        Element e = optionalChild(parent, tag);
        if (e == null) {
            throw new DatasetFormatException(xml, where, "missing <" + tag + "> in <" + parent.getTagName() + ">");
        }
        return e;
    }

    private static Element optionalChild(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e.getTextContent().strip();
    }

    private static Element parse(DocumentBuilder builder, Path xml) throws IOException {
        try {
            Document doc = builder.parse(xml.toFile());
            Element root = doc.getDocumentElement();
            if (!root.getTagName().equals("annotation")) {
                throw new DatasetFormatException(xml, null,
                        "root element is <" + root.getTagName() + ">, expected <annotation>");
            }
            return root;
        } catch (SAXParseException e) {
            throw new DatasetFormatException(xml, "line " + e.getLineNumber(), "malformed XML: " + e.getMessage(), e);
        } catch (SAXException e) {
            throw new DatasetFormatException(xml, null, "malformed XML: " + e.getMessage(), e);
        }
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }
}
