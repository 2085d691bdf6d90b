package dev.abo.detector;

import java.util.Collections;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.constraint.BaseConstraint;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pins one parameter of a layer (by default a BatchNormalization's shift {@code beta}) to exactly 0
 * after every update: paper Sec. 3.2.3, "batch normalisation without shifting".
 *
 * <p>Register it with {@code BatchNormalization.Builder.constrainAllParameters(...)}: DL4J 1.0.0-M2.1
 * silently ignores {@code constrainBeta(...)} (Layer.initializeConstraints only wires all-parameter,
 * weight and bias constraints and BN has no weight/bias keys). Only the named parameter is touched.
 * Public no-arg constructor and field for DL4J's JSON configuration.
 */
public class ZeroShiftConstraint extends BaseConstraint {
    private String paramName = "beta";

    public ZeroShiftConstraint() {
        super(Collections.emptySet());
    }

    public ZeroShiftConstraint(String paramName) {
        this();
        this.paramName = paramName;
    }

    public String getParamName() {
        return paramName;
    }

    @Override
    public void applyConstraint(Layer layer, int iteration, int epoch) {
        INDArray p = layer.paramTable().get(paramName);
        if (p != null) {
            p.assign(0);
        }
    }

    @Override
    public void apply(INDArray param) {
        param.assign(0);
    }

    @Override
    public ZeroShiftConstraint clone() {
        ZeroShiftConstraint c = new ZeroShiftConstraint(paramName);
        c.setParams(getParams());
        return c;
    }
}
