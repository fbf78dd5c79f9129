package io.tessera.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * "Depends on an {@code internal} package of another library". ArchUnit has no built-in rule for
 * "internal is visible only to its own parent package", so it is written here: the owner of
 * {@code io.tessera.x.internal.Foo} is {@code io.tessera.x}, and only classes under that owner may use it.
 */
final class InternalPackageAccess extends ArchCondition<JavaClass> {

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
            String source = origin.getPackageName();
            boolean sameLibrary = source.equals(owner) || source.startsWith(owner + ".");
            if (!sameLibrary) {
                events.add(SimpleConditionEvent.satisfied(dependency, dependency.getDescription()));
            }
        }
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
