package org.ldmlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;

/** The PNGs commands take as input: a bad one is a one-line reason, never an exception's name or an out-of-memory crash. */
class ImageFileTest {
    @TempDir
    Path dir;

    @Test
    void aHeaderClaimingAHugeImageIsRefusedBeforeAnyPixelIsRead() throws IOException {
        // a few hundred bytes that say 46000 x 46000 (6 GB of pixels: ImageIO fails on the stride) or 30000 x 30000
        // (2.7 GB: more than the launcher's heap): the size is checked before ImageIO allocates anything
        for (int side : new int[] {46_000, 30_000}) {
            Path bomb = Files.write(dir.resolve(side + ".png"), png(side, side));
            for (boolean resize : new boolean[] {false, true}) {
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFile.read(bomb, "--image", resize));
                assertTrue(e.getMessage().contains(side + "x" + side), e.getMessage());
                assertFalse(e.getMessage().contains("Exception"), e.getMessage());
            }
        }
    }

    @Test
    void aSmallImageOfAnotherSizeIsReadWithResize() throws IOException {
        Path small = Files.write(dir.resolve("small.png"), png(40, 40));
        assertEquals(32, ImageFile.read(small, "--image", true).getWidth());
    }

    /** A PNG of w x h black grey-scale pixels; of a huge one only the first rows are there: enough to see its size. */
    private static byte[] png(int w, int h) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream ihdr = new DataOutputStream(header);
        ihdr.writeInt(w);
        ihdr.writeInt(h);
        ihdr.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit grey, no interlace
        chunk(out, "IHDR", header.toByteArray());
        Deflater deflater = new Deflater();
        byte[] rows = new byte[(w + 1) * Math.min(h, 64)]; // each row: filter type 0, then w zero bytes
        deflater.setInput(rows);
        deflater.finish();
        byte[] data = new byte[rows.length / 100 + 64];
        chunk(out, "IDAT", java.util.Arrays.copyOf(data, deflater.deflate(data)));
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }
}
