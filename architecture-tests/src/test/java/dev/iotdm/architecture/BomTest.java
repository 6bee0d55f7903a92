package dev.iotdm.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * iotdm-bom has no parent (so importing it imposes no third-party versions), which means it
 * repeats a few facts of the parent pom; this test keeps them equal: every published module (main
 * code, and no {@code maven.deploy.skip}) is in the BOM, and the BOM's version and plugin versions
 * are the parent's.
 */
class BomTest {

    private final Path root = Path.of(System.getProperty("iotdm.root", ".."));

    @Test
    void the_bom_manages_every_published_module_at_the_reactor_version() throws Exception {
        Document parent = read(root.resolve("pom.xml"));
        Document bom = read(root.resolve("iotdm-bom/pom.xml"));

        List<String> published = new ArrayList<>();
        for (Element module : children(child(parent.getDocumentElement(), "modules"), "module")) {
            Path dir = root.resolve(module.getTextContent());
            if (Files.isDirectory(dir.resolve("src/main/java")) && !deploySkipped(read(dir.resolve("pom.xml")))) {
                published.add(module.getTextContent());
            }
        }
        List<String> managed = new ArrayList<>();
        Element dependencies = child(child(bom.getDocumentElement(), "dependencyManagement"), "dependencies");
        for (Element dependency : children(dependencies, "dependency")) {
            assertThat(text(dependency, "groupId")).isEqualTo("dev.iotdm");
            assertThat(text(dependency, "version")).isEqualTo("${project.version}");
            managed.add(text(dependency, "artifactId"));
        }

        assertThat(managed)
                .as("the artifacts iotdm-bom manages: add a new module with main code to iotdm-bom/pom.xml, or set"
                        + " <maven.deploy.skip>true</maven.deploy.skip> in its pom if it is not published (e.g. benchmarks)")
                .containsExactlyInAnyOrderElementsOf(published);
        assertThat(text(bom.getDocumentElement(), "version")).isEqualTo(text(parent.getDocumentElement(), "version"));
    }

    @Test
    void the_bom_pins_its_plugins_to_the_parents_versions() throws Exception {
        Document parent = read(root.resolve("pom.xml"));
        Document bom = read(root.resolve("iotdm-bom/pom.xml"));
        Map<String, String> properties = new TreeMap<>();
        for (Element property : children(child(parent.getDocumentElement(), "properties"), null)) {
            properties.put(property.getTagName(), property.getTextContent());
        }

        Element plugins = child(child(child(bom.getDocumentElement(), "build"), "pluginManagement"), "plugins");
        for (Element plugin : children(plugins, "plugin")) {
            String artifactId = text(plugin, "artifactId");
            String property = artifactId.replaceFirst("^maven-", "") + ".version";
            assertThat(text(plugin, "version")).as(artifactId + " against the parent's " + property)
                    .isEqualTo(properties.get(property));
        }
    }

    /** A module that is not published says so with the deploy plugin's skip property. */
    private static boolean deploySkipped(Document pom) {
        List<Element> properties = children(pom.getDocumentElement(), "properties");
        return !properties.isEmpty() && children(properties.get(0), "maven.deploy.skip").stream()
                .anyMatch(e -> e.getTextContent().trim().equals("true"));
    }

    private static Document read(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found).as("<%s> in <%s>", name, parent.getTagName()).hasSize(1);
        return found.get(0);
    }

    /** Direct child elements, all of them when {@code name} is null. */
    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }
}
