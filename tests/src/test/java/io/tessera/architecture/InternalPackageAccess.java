package io.tessera.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * "Depends on an {@code internal} package of another library". ArchUnit has no built-in rule for
 * "internal is visible only to its own library", so it is written here: the owner of
 * {@code io.tessera.x.internal.Foo} is the library (Maven module) holding {@code io.tessera.x}, and only
 * classes of that library may use it. Most modules have one root package; the few with several are
 * listed in {@link #MODULE_ROOTS}.
 */
final class InternalPackageAccess extends ArchCondition<JavaClass> {

    /** Modules whose public API spans several root packages: one entry per module. */
    private static final java.util.List<java.util.List<String>> MODULE_ROOTS = java.util.List.of(
            java.util.List.of("io.tessera.events", "io.tessera.serde", "io.tessera.registry"));

    InternalPackageAccess() {
        super("depend on an internal package of another library");
    }

    @Override
    public void check(JavaClass origin, ConditionEvents events) {
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
            String target = dependency.getTargetClass().getPackageName();
            if (!target.startsWith("io.tessera.")) {
                continue;
            }
            String owner = ownerOf(target);
            if (owner == null) {
                continue;
            }
            if (!sameModule(origin.getPackageName(), owner)) {
                events.add(SimpleConditionEvent.satisfied(dependency, dependency.getDescription()));
            }
        }
    }

    static boolean sameModule(String sourcePackage, String owner) {
        if (within(sourcePackage, owner)) {
            return true;
        }
        for (java.util.List<String> roots : MODULE_ROOTS) {
            boolean ownerIn = roots.stream().anyMatch(root -> within(owner, root));
            boolean sourceIn = roots.stream().anyMatch(root -> within(sourcePackage, root));
            if (ownerIn && sourceIn) {
                return true;
            }
        }
        return false;
    }

    private static boolean within(String packageName, String root) {
        return packageName.equals(root) || packageName.startsWith(root + ".");
    }

    /** The package that owns an internal package, or null when the package is not internal. */
    static String ownerOf(String packageName) {
        int at = packageName.indexOf(".internal");
        while (at >= 0) {
            int end = at + ".internal".length();
            if (end == packageName.length() || packageName.charAt(end) == '.') {
                return packageName.substring(0, at);
            }
            at = packageName.indexOf(".internal", end);
        }
        return null;
    }
}
