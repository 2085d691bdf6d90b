package dev.abo.detector.train;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** Called by the {@link Trainer} on its own thread after every step and every evaluation. */
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {
    };

    /** After step {@code record.step()}'s update; {@code net} may be read but must not be modified. */
    default void onStep(StepRecord record, ComputationGraph net) {
    }

    default void onEval(EvalRecord record) {
    }

    /** Combines listeners, called in order. */
    static TrainingListener all(TrainingListener... listeners) {
        return new TrainingListener() {
            @Override
            public void onStep(StepRecord record, ComputationGraph net) {
                for (TrainingListener l : listeners) {
                    l.onStep(record, net);
                }
            }

            @Override
            public void onEval(EvalRecord record) {
                for (TrainingListener l : listeners) {
                    l.onEval(record);
                }
            }
        };
    }
}
