package dev.abo.loader;

import dev.abo.core.data.CocoReader;
import dev.abo.core.data.Dataset;
import dev.abo.core.data.IdlReader;
import dev.abo.core.data.LabeledImage;
import dev.abo.core.data.LabeledObject;
import dev.abo.core.data.ReadOptions;
import dev.abo.core.image.ImageCodec;
import dev.abo.core.image.RgbImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder into which a user drops annotated camera frames: image files, then an annotation file
 * listing them, either a Brainwash IDL ({@code *.idl}, one line per image) or a COCO instances JSON
 * ({@code *.json}). The annotation file is the unit of arrival; drop it after its images (or write it
 * under a name starting with {@code .} and rename it).
 *
 * <p><b>Discovery by polling</b>, not {@code WatchService}: the loader calls {@link #poll()} every
 * {@code ABO_WATCH_POLL_MS}. A scan also finds files that arrived while the loader was down, and works
 * on volumes where inotify events do not arrive (network and container mounts). An annotation file is
 * read once it has not been modified for {@code settle} (so a half-written file is not parsed); files
 * are taken in arrival order: modification time, then name.
 *
 * <p><b>Read once.</b> Sent frames are remembered in {@value #STATE_FILE} in the folder (rewritten
 * atomically): {@link #commit} records frames after their batch was written, with the next training and
 * held-out batch sequence numbers; an annotation file is remembered by modification time, size and name once all its
 * frames are committed, so a new file under a used name is read. A restart re-reads only what was not committed (at-least-once for a crash between
 * send and commit, never a resend of committed frames); an image already committed is not sent again
 * even when a later annotation lists it.
 *
 * <p><b>Nothing dropped silently.</b> An annotation file that cannot be used as a whole (malformed,
 * invalid box, unknown class, missing or undecodable image) is moved to {@value #REJECTED_DIR}/ with
 * {@code <name>.reason.txt} holding the exact error; its images stay in place.
 *
 * <p>Class ids: IDL objects are class {@code head}; COCO categories are matched to the configured
 * class names by name. Not thread-safe: one loader loop owns the folder.
 */
public final class WatchedFolder {

    /** The state file's name in the watched folder. */
    public static final String STATE_FILE = ".abo-loader-state";
    /** Where rejected annotation files go, inside the watched folder. */
    public static final String REJECTED_DIR = "rejected";

    private final Path dir;
    private final List<String> classNames;
    private final Duration settle;
    private final Clock clock;

    /** Committed frames (image names), in arrival order; frame number = position. */
    private final List<String> committed = new ArrayList<>();
    private final Set<String> committedSet = new LinkedHashSet<>();
    /** Annotation files all of whose frames are committed, as {@code "<mtime ms> <size> <name>"}. */
    private final Set<String> done = new LinkedHashSet<>();
    private long nextSequence;
    private long nextHeldOutSequence;

    /** Frames returned by {@link #poll} and not yet committed, oldest first. */
    private final Deque<WatchedFrame> inFlight = new ArrayDeque<>();
    /** Per annotation file in flight: how many of its frames are not yet committed. */
    private final Map<String, Integer> open = new HashMap<>();
    /** Per annotation file in flight: its done key as read. */
    private final Map<String, String> openKeys = new HashMap<>();

    /** Opens the folder and loads its state file, if any. */
    public WatchedFolder(Path dir, List<String> classNames, Duration settle, Clock clock) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "watched folder does not exist");
        }
        this.dir = dir;
        this.classNames = List.copyOf(classNames);
        this.settle = settle;
        this.clock = clock;
        loadState();
    }

    /** Sequence number of the next training batch to write (persisted by {@link #commit}). */
    public long nextSequence() {
        return nextSequence;
    }

    /** Sequence number of the next held-out batch to write (persisted by {@link #commit}). */
    public long nextHeldOutSequence() {
        return nextHeldOutSequence;
    }

    /** Number of frames committed so far. */
    public long committedFrames() {
        return committed.size();
    }

    /**
     * New frames, in arrival order: those of settled annotation files neither committed nor returned by
     * an earlier poll. Moves unusable annotation files to {@value #REJECTED_DIR}/.
     */
    public List<WatchedFrame> poll() throws IOException {
        List<WatchedFrame> fresh = new ArrayList<>();
        for (Path annotation : settledAnnotations()) {
            String name = annotation.getFileName().toString();
            List<LabeledImage> images;
            List<RgbImage> pixels = new ArrayList<>();
            try {
                images = read(annotation);
                for (LabeledImage im : images) {
                    pixels.add(decode(im));
                }
            } catch (IOException | RuntimeException e) {
                reject(annotation, e.getMessage());
                continue;
            }
            int added = 0;
            for (int i = 0; i < images.size(); i++) {
                LabeledImage im = images.get(i);
                String file = dir.relativize(im.file().toAbsolutePath().normalize()).toString();
                if (committedSet.contains(file) || inFlight.stream().anyMatch(f -> f.file().equals(file))
                        || fresh.stream().anyMatch(f -> f.file().equals(file))) {
                    continue;
                }
                long number = committed.size() + inFlight.size() + fresh.size();
                fresh.add(new WatchedFrame(number, file, name, pixels.get(i), im.objects()));
                added++;
            }
            if (added == 0) {
                done.add(doneKey(annotation));
                saveState();
            } else {
                open.put(name, added);
                openKeys.put(name, doneKey(annotation));
            }
        }
        inFlight.addAll(fresh);
        return fresh;
    }

    /**
     * Records that {@code frames} were sent and the next training and held-out batches will be
     * {@code nextSequenceNumber} and {@code nextHeldOutSequenceNumber}.
     *
     * @param frames the oldest frames in flight, in the order {@link #poll} returned them
     */
    public void commit(List<WatchedFrame> frames, long nextSequenceNumber, long nextHeldOutSequenceNumber)
            throws IOException {
        if (frames.size() > inFlight.size()) {
            throw new IllegalStateException("committing " + frames.size() + " frames, only " + inFlight.size()
                    + " are in flight");
        }
        int k = 0;
        for (WatchedFrame f : inFlight) {
            if (k == frames.size()) {
                break;
            }
            if (f.frameNumber() != frames.get(k).frameNumber()) {
                throw new IllegalStateException("commit frames in poll order: expected frame " + f.frameNumber()
                        + " (" + f.file() + "), got " + frames.get(k).frameNumber());
            }
            k++;
        }
        for (int i = 0; i < frames.size(); i++) {
            WatchedFrame f = inFlight.removeFirst();
            committed.add(f.file());
            committedSet.add(f.file());
            int left = open.merge(f.annotation(), -1, Integer::sum);
            if (left == 0) {
                open.remove(f.annotation());
                done.add(openKeys.remove(f.annotation()));
            }
        }
        nextSequence = nextSequenceNumber;
        nextHeldOutSequence = nextHeldOutSequenceNumber;
        saveState();
    }

    private List<Path> settledAnnotations() throws IOException {
        long now = clock.millis();
        List<Path> out = new ArrayList<>();
        Map<Path, Long> modified = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                boolean annotation = name.endsWith(".idl") || name.endsWith(".json");
                if (!annotation || name.startsWith(".") || name.contains("\n") || !Files.isRegularFile(p)
                        || open.containsKey(name) || done.contains(doneKey(p))) {
                    continue;
                }
                long mtime = Files.getLastModifiedTime(p).toMillis();
                if (now - mtime >= settle.toMillis()) {
                    out.add(p);
                    modified.put(p, mtime);
                }
            }
        }
        out.sort(Comparator.<Path>comparingLong(modified::get).thenComparing(p -> p.getFileName().toString()));
        return out;
    }

    /**
     * An annotation file's identity in the state: modification time, size and name, so a new file
     * dropped under a used name is read again.
     */
    private static String doneKey(Path annotation) throws IOException {
        return Files.getLastModifiedTime(annotation).toMillis() + " " + Files.size(annotation) + " "
                + annotation.getFileName();
    }

    private List<LabeledImage> read(Path annotation) throws IOException {
        if (annotation.getFileName().toString().endsWith(".idl")) {
            Dataset d = new IdlReader(ReadOptions.strict()).read(annotation).dataset();
            return remap(d);
        }
        return remap(new CocoReader(ReadOptions.strict()).read(annotation, dir).dataset());
    }

    /** The dataset's images with class ids into the configured class names. */
    private List<LabeledImage> remap(Dataset d) throws IOException {
        int[] to = new int[d.classNames().size()];
        for (int c = 0; c < to.length; c++) {
            to[c] = classNames.indexOf(d.classNames().get(c));
        }
        List<LabeledImage> out = new ArrayList<>();
        for (LabeledImage im : d.images()) {
            List<LabeledObject> objects = new ArrayList<>();
            for (int b = 0; b < im.objects().size(); b++) {
                LabeledObject o = im.objects().get(b);
                if (to[o.classId()] < 0) {
                    throw new IOException("image " + im.id() + ", object " + (b + 1) + ": class '"
                            + d.classNames().get(o.classId()) + "' is not one of the configured classes (ABO_CLASS_NAMES): "
                            + String.join(", ", classNames));
                }
                objects.add(new LabeledObject(o.box(), to[o.classId()], o.difficult(), o.crowd(), o.area()));
            }
            Path file = im.file().toAbsolutePath().normalize();
            if (!file.getParent().equals(dir.toAbsolutePath().normalize())) {
                throw new IOException("image " + im.id() + " is not a file of the watched folder itself");
            }
            out.add(new LabeledImage(im.id(), file, im.width(), im.height(), objects));
        }
        return out;
    }

    private static RgbImage decode(LabeledImage im) throws IOException {
        RgbImage pixels;
        try {
            pixels = ImageCodec.read(im.file());
        } catch (NoSuchFileException e) {
            throw new IOException("image file " + im.file().getFileName() + " not found", e);
        }
        if (pixels.width() != im.width() || pixels.height() != im.height()) {
            throw new IOException(im.file().getFileName() + ": decoded size " + pixels.width() + "x" + pixels.height()
                    + " differs from the annotation's " + im.width() + "x" + im.height());
        }
        return pixels;
    }

    private void reject(Path annotation, String reason) throws IOException {
        Path rejected = Files.createDirectories(dir.resolve(REJECTED_DIR));
        String name = annotation.getFileName().toString();
        Files.move(annotation, rejected.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(rejected.resolve(name + ".reason.txt"), reason + "\n", StandardCharsets.UTF_8);
    }

    private void loadState() throws IOException {
        Path file = dir.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1);
            switch (key) {
                case "next-sequence" -> nextSequence = parseSequence(file, i, "next-sequence", value);
                case "next-held-out-sequence" -> nextHeldOutSequence = parseSequence(file, i, "next-held-out-sequence", value);
                case "frame" -> {
                    committed.add(value);
                    committedSet.add(value);
                }
                case "done" -> done.add(value);
                default -> throw new IOException(file + ": line " + (i + 1) + ": unknown entry '" + key
                        + "', expected next-sequence, next-held-out-sequence, frame or done");
            }
        }
    }

    private static long parseSequence(Path file, int i, String key, String value) throws IOException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": line " + (i + 1) + ": " + key + " is not a number: '" + value + "'");
        }
    }

    private void saveState() throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("# abo data-loader: frames of this folder already sent, in arrival order. Delete to resend all.\n");
        s.append("next-sequence ").append(nextSequence).append('\n');
        s.append("next-held-out-sequence ").append(nextHeldOutSequence).append('\n');
        for (String f : committed) {
            s.append("frame ").append(f).append('\n');
        }
        for (String d : done) {
            s.append("done ").append(d).append('\n');
        }
        Path tmp = dir.resolve(STATE_FILE + ".tmp");
        Files.writeString(tmp, s, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
