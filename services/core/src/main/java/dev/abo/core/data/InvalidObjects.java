package dev.abo.core.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Applies a read's {@link ReadOptions.OnInvalidObject} policy and collects what was skipped. */
final class InvalidObjects {

    private final ReadOptions.OnInvalidObject policy;
    private final List<SkippedObject> skipped = new ArrayList<>();

    InvalidObjects(ReadOptions.OnInvalidObject policy) {
        this.policy = policy;
    }

    /** Rejects one object: throws in FAIL mode, records it in SKIP mode. */
    void reject(Path file, String location, SkippedObject.Kind kind, String reason) throws DatasetFormatException {
        if (policy == ReadOptions.OnInvalidObject.FAIL) {
            throw new DatasetFormatException(file, location, reason);
        }
        skipped.add(new SkippedObject(file, location, kind, reason));
    }

    List<SkippedObject> skipped() {
        return skipped;
    }
}
