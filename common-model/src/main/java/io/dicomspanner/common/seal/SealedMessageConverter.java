package io.dicomspanner.common.seal;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;

/**
 * The services' AMQP message converter ({@code TopologyDeclarations#messageConverter}): the JSON converter's bodies,
 * sealed by the {@link SealedCodec}. A body that does not open is a {@link MessageConversionException}, which the
 * listener containers treat as fatal: the message is rejected without requeue (dead-lettered where its queue has a
 * dead-letter exchange), never retried and never handed to the listener.
 */
public final class SealedMessageConverter implements MessageConverter {

    private final MessageConverter json;
    private final SealedCodec codec;

    public SealedMessageConverter(MessageConverter json, SealedCodec codec) {
        this.json = json;
        this.codec = codec;
    }

    @Override
    public Message toMessage(Object object, MessageProperties properties) {
        Message plain = json.toMessage(object, properties);
        plain.getMessageProperties().setContentType(SealedCodec.CONTENT_TYPE);
        plain.getMessageProperties().setContentEncoding(null);
        return new Message(codec.sealer().seal(plain.getBody()), plain.getMessageProperties());
    }

    @Override
    public Object fromMessage(Message message) {
        byte[] plain;
        try {
            plain = codec.openMessage(message.getBody());
        } catch (SealRejectedException e) {
            throw new MessageConversionException(
                    "sealed message body rejected (" + e.reason().tag() + ")", e);
        }
        MessageProperties properties = message.getMessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        return json.fromMessage(new Message(plain, properties));
    }
}
