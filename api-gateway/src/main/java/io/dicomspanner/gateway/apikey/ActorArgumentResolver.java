package io.dicomspanner.gateway.apikey;

import io.dicomspanner.gateway.audit.Actor;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Gives a controller method's {@link Actor} parameter the API key (and client address) the request came with. */
class ActorArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Actor.class;
    }

    @Override
    public Actor resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        if (request == null
                || !(request.getAttribute(ApiKeyAuthenticationFilter.AUTHENTICATED_KEY)
                        instanceof AuthenticatedKey key)) {
            throw new IllegalStateException("No authenticated API key on a request that changes something; the "
                    + "access policy must demand a key for " + (request != null ? request.getRequestURI() : "it"));
        }
        return Actor.apiKey(key.id(), key.name(), request.getRemoteAddr());
    }
}
