package org.ldmlab.nn;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference gradient checks in double precision: the analytic gradient of
 * L = sum(f(inputs) * R), R a fixed random tensor, against central differences (L(x+h) - L(x-h)) / 2h.
 */
public final class GradCheck {
    private GradCheck() {}

    public static INDArray randn(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    /** Checks d sum(f(xs) * R) / d xs for every input, at every element (inputs should be small). */
    public static void check(String name, Function<List<Var>, Var> f, INDArray... inputs) {
        List<Var> vars = Arrays.stream(inputs).map(Var::parameter).toList();
        Var out = f.apply(vars);
        INDArray r = randn(99, out.shape());
        Ops.mean(Ops.mul(out, Var.constant(r.mul(out.value().length())))).backward();
        double h = 1e-6;
        for (int i = 0; i < inputs.length; i++) {
            INDArray x = inputs[i];
            INDArray analytic = vars.get(i).grad();
            assertNotNull(analytic, name + ": no gradient reached input " + i);
            INDArray flat = x.reshape(x.length());
            for (long j = 0; j < x.length(); j++) {
                double keep = flat.getDouble(j);
                flat.putScalar(j, keep + h);
                double plus = loss(f, inputs, r);
                flat.putScalar(j, keep - h);
                double minus = loss(f, inputs, r);
                flat.putScalar(j, keep);
                double numeric = (plus - minus) / (2 * h);
                double got = analytic.reshape(x.length()).getDouble(j);
                double tol = 1e-5 * Math.max(1.0, Math.abs(numeric));
                assertTrue(Math.abs(got - numeric) <= tol, String.format(
                        "%s: d/dinput%d[%d] analytic %.8f vs numeric %.8f", name, i, j, got, numeric));
            }
        }
    }

    /**
     * Checks the gradient of L = sum(f(x) * R) w.r.t. the input x and a spread of elements of every parameter
     * of {@code module} (built in DOUBLE). Parameters are first set to random values: zero-initialised output
     * layers would otherwise block every upstream gradient and let the check pass without testing anything.
     */
    public static void checkModule(String name, Module module, INDArray input, Function<Var, Var> f) {
        checkModule(name, module, input, f, 8);
    }

    /** As above, at up to {@code perTensor} elements of each tensor (fewer for big modules). */
    public static void checkModule(String name, Module module, INDArray input, Function<Var, Var> f, int perTensor) {
        long seed = 1000;
        for (Var p : module.parameters().values()) {
            p.value().assign(randn(seed++, p.shape()).muli(0.5));
        }
        Var x = Var.parameter(input);
        Var out = f.apply(x);
        INDArray r = randn(99, out.shape());
        Ops.mean(Ops.mul(out, Var.constant(r.mul(out.value().length())))).backward();
        java.util.function.DoubleSupplier loss = () -> f.apply(Var.constant(input)).value().mul(r).sumNumber().doubleValue();
        compare(name + " input", input, x.grad(), loss, perTensor);
        for (var e : module.parameters().entrySet()) {
            compare(name + " " + e.getKey(), e.getValue().value(), e.getValue().grad(), loss, perTensor);
        }
    }

    /** Central differences at up to {@code count} elements spread over the tensor. */
    private static void compare(String what, INDArray x, INDArray analytic, java.util.function.DoubleSupplier loss, int count) {
        assertNotNull(analytic, what + ": no gradient");
        INDArray flat = x.reshape(x.length());
        INDArray grad = analytic.reshape(x.length());
        long step = Math.max(1, x.length() / count);
        double h = 1e-6;
        for (long j = 0; j < x.length(); j += step) {
            double keep = flat.getDouble(j);
            flat.putScalar(j, keep + h);
            double plus = loss.getAsDouble();
            flat.putScalar(j, keep - h);
            double minus = loss.getAsDouble();
            flat.putScalar(j, keep);
            double numeric = (plus - minus) / (2 * h);
            double got = grad.getDouble(j);
            assertTrue(Math.abs(got - numeric) <= 1e-5 * Math.max(1.0, Math.abs(numeric)),
                    String.format("%s[%d]: analytic %.8f vs numeric %.8f", what, j, got, numeric));
        }
    }

    private static double loss(Function<List<Var>, Var> f, INDArray[] inputs, INDArray r) {
        List<Var> constants = Arrays.stream(inputs).map(Var::constant).toList();
        return f.apply(constants).value().mul(r).sumNumber().doubleValue();
    }
}
