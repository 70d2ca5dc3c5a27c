package dk.sf1820.extractor.drop;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Which folders of a drop folder hold dropped files, and the walk over them: the poll ({@link
 * DropFolderWatcher}) and the watch ({@link DoneMarkerWatch}) both use it, so they skip the same folders.
 */
final class DropFolderTree {

    static final String PROCESSING = "processing";
    static final String REFUSED = "refused";

    /** What the walk does with a folder it enters (the watch registers it). */
    @FunctionalInterface
    interface FolderVisit {
        void visit(Path folder) throws IOException;
    }

    private final Path root;

    /** @param root the drop folder */
    DropFolderTree(Path root) {
        this.root = root;
    }

    /**
     * Whether a folder at or below the drop folder holds drops: not {@code processing/} or {@code refused/}
     * (the watchers' own), nor a hidden folder (a writer's copy in progress), nor anything below those.
     */
    boolean holdsDrops(Path dir) {
        Path relative = root.relativize(dir);
        String first = relative.getName(0).toString();
        if (first.equals(PROCESSING) || first.equals(REFUSED)) {
            return false;
        }
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Walks {@code top}: {@code folder} for top itself and for each folder below it that {@code descend}
     * accepts (one it refuses is skipped with all it holds), {@code file} for each regular file in them.
     * What vanishes under the walk (claimed by another instance, cleaned up) is passed over.
     */
    static void walk(Path top, Predicate<Path> descend, FolderVisit folder, Consumer<Path> file) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!dir.equals(top) && !descend.test(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                folder.visit(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    file.accept(path);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
