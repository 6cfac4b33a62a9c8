package org.ldmlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldmlab.InvalidInputException;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Position;
import org.ldmlab.data.Attributes.Relation;
import org.ldmlab.data.Attributes.Shape;
import org.ldmlab.data.Attributes.Size;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

class DatasetWriterTest {
    private static final int COUNT = 20;
    private static final String HEADER = "index,file,caption,split,n_objects,relation,"
            + "shape_0,colour_0,size_0,position_0,mask_0,shape_1,colour_1,size_1,position_1,mask_1,heldout";

    @TempDir
    Path tmp;

    @Test
    void theSameSeedGivesTheSameBytes() throws IOException {
        Path first = write(0, Split.TRAIN, "first");
        Path second = write(0, Split.TRAIN, "second");
        List<Path> files = files(first);
        assertEquals(files, files(second));
        assertTrue(files.size() >= 2 + 2 * COUNT, files.toString());
        for (Path file : files) {
            assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)),
                    file.toString());
        }
    }

    @Test
    void anotherSeedGivesOtherImages() throws IOException {
        Path seed0 = write(0, Split.TRAIN, "seed0");
        Path seed1 = write(1, Split.TRAIN, "seed1");
        int differing = 0;
        for (int i = 0; i < COUNT; i++) {
            String image = Manifest.imageFile(i);
            differing += Arrays.equals(Files.readAllBytes(seed0.resolve(image)),
                    Files.readAllBytes(seed1.resolve(image))) ? 0 : 1;
        }
        assertTrue(differing > COUNT / 2, "only " + differing + " of " + COUNT + " images differ");
    }

    @Test
    void manifestDescribesEveryFileAndLabel() throws IOException {
        Path folder = write(4, Split.TEST, "test");
        List<String> lines = Files.readAllLines(folder.resolve("manifest.csv"));
        assertEquals(HEADER, lines.get(0));
        assertEquals(COUNT + 1, lines.size());
        Table manifest = Table.read().usingOptions(CsvReadOptions.builder(folder.resolve("manifest.csv").toFile())
                .columnTypesToDetect(List.of(ColumnType.INTEGER, ColumnType.BOOLEAN, ColumnType.STRING)));
        ShapesDataset dataset = new ShapesDataset(4, Split.TEST);
        for (Row row : manifest) {
            int index = row.getInt("index");
            RenderedSample sample = dataset.sample(index);
            assertEquals(sample.caption(), row.getString("caption"));
            assertEquals(sample.scene(), sceneFrom(row), "labels of row " + index);
            assertEquals("test", row.getString("split"));
            assertEquals(HeldOut.appearsIn(sample.scene()), row.getBoolean("heldout"));
            assertArrayEquals(pixels(sample.image()), pixels(ImageIO.read(folder.resolve(row.getString("file")).toFile())));
            for (int k = 0; k < 2; k++) {
                String mask = row.getString("mask_" + k);
                if (k < sample.masks().size()) {
                    assertArrayEquals(pixels(sample.masks().get(k).toImage()),
                            pixels(ImageIO.read(folder.resolve(mask).toFile())), mask);
                } else {
                    assertEquals("", mask);
                    assertEquals("", row.getString("shape_" + k));
                    assertFalse(Files.exists(folder.resolve(Manifest.maskFile(index, k))));
                }
            }
        }
    }

    @Test
    void everyDatasetCarriesTheHeldOutList() throws IOException {
        Path folder = write(0, Split.VAL, "val");
        assertEquals(Files.readString(Path.of("datasets", "heldout.csv")), Files.readString(folder.resolve("heldout.csv")));
    }

    @Test
    void reportsProgress() throws IOException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        DatasetWriter.write(new ShapesDataset(0, Split.TRAIN), COUNT, tmp.resolve("p"),
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains(COUNT + "/" + COUNT), progress.toString());
    }

    @Test
    void aCountBelowOneWritesNothing() {
        assertThrows(InvalidInputException.class,
                () -> DatasetWriter.write(new ShapesDataset(0, Split.TRAIN), 0, tmp.resolve("none"), quiet()));
        assertFalse(Files.exists(tmp.resolve("none")));
    }

    private Path write(long seed, Split split, String name) throws IOException {
        Path folder = tmp.resolve(name);
        DatasetWriter.write(new ShapesDataset(seed, split), COUNT, folder, quiet());
        return folder;
    }

    private static Scene sceneFrom(Row row) {
        ObjectLabel first = objectFrom(row, 0);
        if (row.getInt("n_objects") == 1) {
            return Scene.single(first);
        }
        return Scene.pair(first, Relation.valueOf(row.getString("relation").toUpperCase(Locale.ROOT)), objectFrom(row, 1));
    }

    private static ObjectLabel objectFrom(Row row, int k) {
        return new ObjectLabel(Shape.valueOf(row.getString("shape_" + k).toUpperCase(Locale.ROOT)),
                Colour.valueOf(row.getString("colour_" + k).toUpperCase(Locale.ROOT)),
                Size.valueOf(row.getString("size_" + k).toUpperCase(Locale.ROOT)),
                Position.valueOf(row.getString("position_" + k).toUpperCase(Locale.ROOT)));
    }

    /** Every file under {@code folder}, relative to it, sorted. */
    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(folder::relativize).sorted().collect(Collectors.toList());
        }
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
