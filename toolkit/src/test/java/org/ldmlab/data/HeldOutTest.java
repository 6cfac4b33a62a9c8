package org.ldmlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.ldmlab.data.Attributes.Colour;
import org.ldmlab.data.Attributes.Shape;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

class HeldOutTest {
    @Test
    void repositoryCopyAgreesWithTheCode() {
        // Tests run from the repository root (see the surefire configuration).
        Path file = Path.of("datasets", "heldout.csv");
        Table table = Table.read().csv(file.toFile());
        List<ColouredShape> inFile = new ArrayList<>();
        for (Row row : table) {
            inFile.add(new ColouredShape(Colour.valueOf(row.getString("colour").toUpperCase(Locale.ROOT)),
                    Shape.valueOf(row.getString("shape").toUpperCase(Locale.ROOT))));
        }
        assertEquals(HeldOut.COMBINATIONS, inFile,
                file + " disagrees with HeldOut.COMBINATIONS; copy heldout.csv from a dataset folder the toolkit wrote");
    }

    @Test
    void trainAndValDrawFromAllButTheHeldOutCombinations() {
        int all = Colour.values().length * Shape.values().length;
        assertEquals(all, HeldOut.allowedIn(Split.TEST).size());
        for (Split split : new Split[] {Split.TRAIN, Split.VAL}) {
            List<ColouredShape> allowed = HeldOut.allowedIn(split);
            assertEquals(all - HeldOut.COMBINATIONS.size(), allowed.size());
            HeldOut.COMBINATIONS.forEach(c -> assertFalse(allowed.contains(c), c + " in " + split));
        }
    }

    @org.junit.jupiter.api.Test
    void singleObjectsSplitTheVocabularyByTheHeldOutRule() {
        java.util.List<ObjectLabel> trained = HeldOut.singleObjects(false);
        java.util.List<ObjectLabel> heldOut = HeldOut.singleObjects(true);
        // 3 shapes x 4 colours x 2 sizes x 5 positions; 2 held-out colour-shape pairs x 2 sizes x 5 positions
        org.junit.jupiter.api.Assertions.assertEquals(100, trained.size());
        org.junit.jupiter.api.Assertions.assertEquals(20, heldOut.size());
        org.junit.jupiter.api.Assertions.assertTrue(heldOut.stream().allMatch(o -> HeldOut.COMBINATIONS.contains(o.colouredShape())));
    }
}
