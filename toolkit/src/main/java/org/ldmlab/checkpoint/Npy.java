package org.ldmlab.checkpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One tensor in NumPy's {@code .npy} format, version 1.0: the magic bytes {@code \x93NUMPY}, the version,
 * a little-endian uint16 header length, then a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and a newline so
 * the data starts at a multiple of 64 bytes, then the values in C (row-major) order.
 * Float32 ({@code <f4}) and float64 ({@code <f8}) only. Spec: numpy.lib.format (NEP 1).
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Magic, two version bytes and the two-byte header length come before the header. */
    private static final int PREAMBLE = MAGIC.length + 4;
    private static final int ALIGNMENT = 64;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN_ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** The {@code .npy} bytes of a float32 or float64 tensor of any rank (rank 0 is a scalar). */
    public static byte[] toBytes(INDArray tensor) {
        String descr = descr(tensor.dataType());
        byte[] header = header(descr, tensor.shape());
        INDArray values = tensor.dup('c'); // a fresh row-major buffer holding exactly these values
        int itemSize = tensor.dataType() == DataType.FLOAT ? 4 : 8;
        ByteBuffer out = ByteBuffer.allocate(header.length + Math.toIntExact(values.length() * itemSize))
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(header);
        if (itemSize == 4) {
            out.asFloatBuffer().put(values.data().asFloat());
        } else {
            out.asDoubleBuffer().put(values.data().asDouble());
        }
        return out.array();
    }

    /** Reads {@code .npy} bytes; throws IOException naming what is wrong with them. */
    public static INDArray fromBytes(byte[] npy) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        if (npy.length < PREAMBLE || !Arrays.equals(Arrays.copyOf(npy, MAGIC.length), MAGIC)) {
            throw new IOException("no NumPy magic bytes at the start");
        }
        in.position(MAGIC.length);
        int major = in.get();
        int minor = in.get();
        if (major != 1) {
            throw new IOException("NumPy format version " + major + "." + minor + " (only 1.0 is read)");
        }
        int headerLength = Short.toUnsignedInt(in.getShort());
        if (PREAMBLE + headerLength > npy.length) {
            throw new IOException("header runs past the end of the data");
        }
        String header = new String(npy, PREAMBLE, headerLength, StandardCharsets.ISO_8859_1);
        String descr = field(DESCR, header, "descr");
        if (field(FORTRAN_ORDER, header, "fortran_order").equals("True")) {
            throw new IOException("Fortran (column-major) order is not read; save with fortran_order False");
        }
        long[] shape = parseShape(field(SHAPE, header, "shape"));
        in.position(PREAMBLE + headerLength);
        return values(in, descr, shape);
    }

    private static String descr(DataType type) {
        return switch (type) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            default -> throw new IllegalArgumentException(".npy tensors here are float32 or float64, got " + type);
        };
    }

    /** The dict, padded with spaces and ended by a newline so magic + version + length + header is 64-aligned. */
    private static byte[] header(String descr, long[] shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple(shape) + ", }";
        int unpadded = PREAMBLE + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        String text = dict + " ".repeat(padding) + "\n";
        byte[] bytes = new byte[PREAMBLE + text.length()];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.ISO_8859_1));
        return bytes;
    }

    /** Python's tuple syntax: (), (5,), (2, 3). */
    private static String tuple(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String field(Pattern pattern, String header, String name) throws IOException {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IOException("header has no valid '" + name + "': " + header.strip());
        }
        return m.group(1);
    }

    private static long[] parseShape(String tuple) throws IOException {
        try {
            long[] shape = Arrays.stream(tuple.split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .mapToLong(Long::parseLong)
                    .toArray();
            if (Arrays.stream(shape).noneMatch(d -> d < 0)) {
                return shape;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException("shape (" + tuple + ") is not a tuple of sizes");
    }

    private static long elementCount(long[] shape) throws IOException {
        try {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        } catch (ArithmeticException e) {
            throw new IOException("shape " + Arrays.toString(shape) + " is too large");
        }
    }

    private static INDArray values(ByteBuffer in, String descr, long[] shape) throws IOException {
        long count = elementCount(shape);
        int itemSize = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new IOException("data type '" + descr + "' (only '<f4' float32 and '<f8' float64 are read)");
        };
        if (in.remaining() != count * itemSize) {
            throw new IOException("shape " + Arrays.toString(shape) + " needs " + count * itemSize
                    + " bytes of " + descr + " data, found " + in.remaining());
        }
        if (itemSize == 4) {
            float[] data = new float[(int) count];
            in.asFloatBuffer().get(data);
            return Nd4j.create(data, shape, DataType.FLOAT);
        }
        double[] data = new double[(int) count];
        in.asDoubleBuffer().get(data);
        return Nd4j.create(data, shape, DataType.DOUBLE);
    }
}
