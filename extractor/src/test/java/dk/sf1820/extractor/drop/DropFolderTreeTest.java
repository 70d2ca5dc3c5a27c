package dk.sf1820.extractor.drop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folders the poll and the watch both skip, on a real folder tree. */
class DropFolderTreeTest {

    @TempDir
    Path drop;

    @Test
    void fagsystemFoldersHoldDropsTheWatchersOwnAndHiddenFoldersDoNot() {
        DropFolderTree tree = new DropFolderTree(drop);

        assertThat(tree.holdsDrops(drop)).isTrue();
        assertThat(tree.holdsDrops(drop.resolve("KSD/0561/M03"))).isTrue();
        assertThat(tree.holdsDrops(drop.resolve("processing-old"))).isTrue();
        assertThat(tree.holdsDrops(drop.resolve("KSD/processing"))).isTrue();

        assertThat(tree.holdsDrops(drop.resolve("processing"))).isFalse();
        assertThat(tree.holdsDrops(drop.resolve("processing/pipeline-1/KSD"))).isFalse();
        assertThat(tree.holdsDrops(drop.resolve("refused"))).isFalse();
        assertThat(tree.holdsDrops(drop.resolve("refused/KSD/0561"))).isFalse();
        assertThat(tree.holdsDrops(drop.resolve(".sync"))).isFalse();
        assertThat(tree.holdsDrops(drop.resolve("KSD/0561/.copying"))).isFalse();
        assertThat(tree.holdsDrops(drop.resolve("KSD/.tmp/M03"))).isFalse();
    }

    @Test
    void theWalkEntersOnlyFoldersThatHoldDropsAndListsTheirRegularFiles() throws IOException {
        Path kept = write("KSD/0561/M03/a.csv");
        Path keptToo = write("DUBU/b.csv");
        write("processing/pipeline-1/KSD/0561/M03/c.csv");
        write("refused/KSD/0561/M03/d.csv");
        write(".sync/e.csv");
        write("KY/.partial/f.csv");
        DropFolderTree tree = new DropFolderTree(drop);
        List<Path> folders = new ArrayList<>();
        List<Path> files = new ArrayList<>();

        DropFolderTree.walk(drop, tree::holdsDrops, folders::add, files::add);

        assertThat(files).containsExactlyInAnyOrder(kept, keptToo);
        assertThat(folders)
                .containsExactlyInAnyOrder(
                        drop,
                        drop.resolve("KSD"),
                        drop.resolve("KSD/0561"),
                        drop.resolve("KSD/0561/M03"),
                        drop.resolve("DUBU"),
                        drop.resolve("KY"));
    }

    @Test
    void theTopIsWalkedEvenWhereTheRulesWouldSkipIt() throws IOException {
        Path claimed = write("processing/pipeline-1/KSD/0561/M03/a.csv");
        List<Path> files = new ArrayList<>();

        DropFolderTree.walk(drop.resolve("processing/pipeline-1"), folder -> true, folder -> {}, files::add);

        assertThat(files).containsExactly(claimed);
    }

    private Path write(String relative) throws IOException {
        Path file = drop.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "cpr;dage\n");
    }
}
