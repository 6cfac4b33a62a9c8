package org.ldmlab.checkpoint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NpyTest {
    /** numpy.save(f, np.arange(6, dtype='<f4').reshape(2, 3) * 0.5 - 1), made with NumPy 2.4. */
    private static final String NUMPY_2X3 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAg"
            + "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIC/AAAAvwAAAAAAAAA/AACAPwAAwD8=";

    @Test
    void float32RoundTripIsBitExactAtEveryRank() throws IOException {
        float[] special = {0f, -0f, 1e-45f, Float.MIN_NORMAL, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN, 1f / 3};
        for (long[] shape : new long[][] {{}, {1}, {8}, {2, 4}, {2, 1, 2, 2}}) {
            float[] data = Arrays.copyOf(special, (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b));
            INDArray x = Nd4j.create(data, shape, DataType.FLOAT);
            INDArray back = Npy.fromBytes(Npy.toBytes(x));
            assertArrayEquals(shape, back.shape(), "shape " + Arrays.toString(shape));
            assertEquals(DataType.FLOAT, back.dataType());
            assertArrayEquals(bits(data), bits(back.data().asFloat()), "values of " + Arrays.toString(shape));
        }
    }

    @Test
    void float64RoundTrip() throws IOException {
        INDArray x = Nd4j.create(new double[] {Math.PI, -1e-300, 7}, new long[] {3}, DataType.DOUBLE);
        INDArray back = Npy.fromBytes(Npy.toBytes(x));
        assertEquals(DataType.DOUBLE, back.dataType());
        assertArrayEquals(x.data().asDouble(), back.data().asDouble());
    }

    @Test
    void aViewIsWrittenInItsLogicalOrder() throws IOException {
        INDArray transposed = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, DataType.FLOAT).transpose();
        INDArray back = Npy.fromBytes(Npy.toBytes(transposed));
        assertEquals(transposed, back);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.data().asFloat());
    }

    @Test
    void headerIsTheOneNumpyWrites() {
        byte[] npy = Npy.toBytes(Nd4j.create(new float[] {2, 3, 4, 5, 6, 7}, new long[] {2, 3}, DataType.FLOAT));
        ByteBuffer b = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(npy, 8));
        int headerLength = Short.toUnsignedInt(b.getShort(8));
        String header = new String(npy, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertTrue(header.matches("\\{'descr': '<f4', 'fortran_order': False, 'shape': \\(2, 3\\), \\} *\n"), header);
        assertEquals(0, (10 + headerLength) % 64, "data starts at a multiple of 64 bytes");
        assertEquals(10 + headerLength + 6 * 4, npy.length);
        assertEquals(2f, b.getFloat(10 + headerLength));
    }

    @Test
    void shapesAreWrittenAsPythonTuples() {
        assertTrue(header(Nd4j.scalar(1f)).contains("'shape': (), }"));
        assertTrue(header(Nd4j.zeros(DataType.FLOAT, 5)).contains("'shape': (5,), }"));
        assertTrue(header(Nd4j.zeros(DataType.FLOAT, 1, 2, 3, 4)).contains("'shape': (1, 2, 3, 4), }"));
        assertTrue(header(Nd4j.zeros(DataType.DOUBLE, 2)).contains("'descr': '<f8'"));
    }

    @Test
    void bytesWrittenByNumpyAreReadAndWrittenIdentically() throws IOException {
        byte[] numpy = Base64.getDecoder().decode(NUMPY_2X3);
        INDArray x = Npy.fromBytes(numpy);
        assertArrayEquals(new long[] {2, 3}, x.shape());
        assertArrayEquals(new float[] {-1, -0.5f, 0, 0.5f, 1, 1.5f}, x.data().asFloat());
        assertArrayEquals(numpy, Npy.toBytes(x));
    }

    @Test
    void anOlderHeaderPaddedTo16BytesIsRead() throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        String header = dict + " ".repeat(80 - 10 - dict.length() - 1) + "\n"; // 10 + header = 80: 16-aligned, not 64
        ByteBuffer b = ByteBuffer.allocate(80 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).putFloat(1.5f).putFloat(-2f);
        assertArrayEquals(new float[] {1.5f, -2f}, Npy.fromBytes(b.array()).data().asFloat());
    }

    @Test
    void whatIsWrongWithBadBytesIsNamed() {
        byte[] good = Npy.toBytes(Nd4j.zeros(DataType.FLOAT, 2, 3));
        assertMessage("magic", "not npy at all".getBytes(StandardCharsets.US_ASCII));
        assertMessage("needs 24 bytes", Arrays.copyOf(good, good.length - 1));
        assertMessage("'<i4'", replace(good, "<f4", "<i4"));
        assertMessage("Fortran", replace(good, "False", "True "));
        assertMessage("version 2.0", withByte(good, 6, 2));
        assertMessage("shape", replace(good, "(2, 3)", "(2, x)"));
        assertThrows(IllegalArgumentException.class, () -> Npy.toBytes(Nd4j.zeros(DataType.INT32, 2)));
    }

    private static void assertMessage(String expected, byte[] npy) {
        IOException e = assertThrows(IOException.class, () -> Npy.fromBytes(npy));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static byte[] replace(byte[] npy, String from, String to) {
        String text = new String(npy, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(from));
        return text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] withByte(byte[] npy, int at, int value) {
        byte[] copy = npy.clone();
        copy[at] = (byte) value;
        return copy;
    }

    private static String header(INDArray x) {
        byte[] npy = Npy.toBytes(x);
        return new String(npy, 10, Short.toUnsignedInt(ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN).getShort(8)),
                StandardCharsets.ISO_8859_1);
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        Arrays.setAll(bits, i -> Float.floatToRawIntBits(values[i]));
        return bits;
    }
}
