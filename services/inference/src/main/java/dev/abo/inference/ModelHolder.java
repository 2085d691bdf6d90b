package dev.abo.inference;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** The model being served: an atomic reference to an immutable {@link LoadedModel}, empty until the first load. */
public final class ModelHolder {
    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private final List<Consumer<LoadedModel>> listeners = new CopyOnWriteArrayList<>();

    /** The model now; read it ONCE per request and keep using what you got. */
    public Optional<LoadedModel> current() {
        return Optional.ofNullable(current.get());
    }

    /** Serves {@code model} from now on; returns the model it replaced, if any. Listeners run on this thread. */
    public Optional<LoadedModel> swap(LoadedModel model) {
        LoadedModel previous = current.getAndSet(java.util.Objects.requireNonNull(model, "model"));
        listeners.forEach(l -> l.accept(model));
        return Optional.ofNullable(previous);
    }

    /** Calls {@code listener} after every swap (and now, if a model is already loaded). */
    public void onSwap(Consumer<LoadedModel> listener) {
        listeners.add(listener);
        LoadedModel now = current.get();
        if (now != null) {
            listener.accept(now);
        }
    }
}
