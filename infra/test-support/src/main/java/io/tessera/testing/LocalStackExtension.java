package io.tessera.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(LocalStackExtension.class)}: makes sure the local stack runs before the class'
 * tests (see {@link LocalStack}) and injects {@link StackEndpoints} into test constructors, lifecycle
 * methods and test methods.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        LocalStack.endpoints();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == StackEndpoints.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return LocalStack.endpoints();
    }
}
