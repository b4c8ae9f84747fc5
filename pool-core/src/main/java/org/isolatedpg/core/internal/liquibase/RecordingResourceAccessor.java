package org.isolatedpg.core.internal.liquibase;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import liquibase.resource.OpenOptions;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.isolatedpg.core.internal.source.Locations.LocatedFile;

/**
 * A resource accessor that remembers every resource Liquibase opens through it: the changelogs it parses (the master,
 * its includes, every file an {@code includeAll} takes), property files, and the files changes read ({@code sqlFile},
 * {@code loadData}) when they are asked for their checksum. Resources reached through {@link Resource#resolve} and
 * {@link Resource#resolveSibling} (relative includes) are remembered too.
 */
final class RecordingResourceAccessor implements ResourceAccessor {

    private final ResourceAccessor delegate;
    private final Map<String, Resource> opened = new ConcurrentHashMap<>();

    RecordingResourceAccessor(ResourceAccessor delegate) {
        this.delegate = delegate;
    }

    /**
     * Every resource opened so far with its bytes, read again now, sorted by path (then content): the order Liquibase
     * opened them in follows from the changelogs' own bytes, which are among them.
     */
    List<LocatedFile> files() throws IOException {
        List<LocatedFile> files = new ArrayList<>();
        for (Resource resource : opened.values()) {
            try (InputStream in = resource.openInputStream()) {
                files.add(new LocatedFile(resource.getPath(), in.readAllBytes()));
            }
        }
        files.sort(Comparator.comparing(file -> file.name() + "\0" + FingerprintInputs.sha256(file.content())));
        return files;
    }

    @Override
    public List<Resource> search(String path, SearchOptions searchOptions) throws IOException {
        return wrap(delegate.search(path, searchOptions));
    }

    @Override
    public List<Resource> search(String path, boolean recursive) throws IOException {
        return wrap(delegate.search(path, recursive));
    }

    @Override
    public List<Resource> getAll(String path) throws IOException {
        return wrap(delegate.getAll(path));
    }

    @Override
    public List<String> describeLocations() {
        return delegate.describeLocations();
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }

    private List<Resource> wrap(List<Resource> resources) {
        return resources == null ? null : resources.stream().map(this::wrap).toList();
    }

    private Resource wrap(Resource resource) {
        return resource == null || resource instanceof Recorded ? resource : new Recorded(resource);
    }

    /** A resource that tells the accessor when it is opened. */
    private final class Recorded implements Resource {

        private final Resource resource;

        Recorded(Resource resource) {
            this.resource = resource;
        }

        @Override
        public InputStream openInputStream() throws IOException {
            InputStream in = resource.openInputStream();
            opened.putIfAbsent(resource.getPath() + "\0" + resource.getUri(), resource);
            return in;
        }

        @Override
        public String getPath() {
            return resource.getPath();
        }

        @Override
        public boolean isWritable() {
            return resource.isWritable();
        }

        @Override
        public boolean exists() {
            return resource.exists();
        }

        @Override
        public Resource resolve(String other) {
            return wrap(resource.resolve(other));
        }

        @Override
        public Resource resolveSibling(String other) {
            return wrap(resource.resolveSibling(other));
        }

        @Override
        public OutputStream openOutputStream(OpenOptions openOptions) throws IOException {
            return resource.openOutputStream(openOptions);
        }

        @Override
        public URI getUri() {
            return resource.getUri();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Recorded recorded && resource.equals(recorded.resource);
        }

        @Override
        public int hashCode() {
            return resource.hashCode();
        }

        @Override
        public String toString() {
            return resource.toString();
        }
    }
}
