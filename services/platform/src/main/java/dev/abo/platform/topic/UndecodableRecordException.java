package dev.abo.platform.topic;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record's bytes are not a valid message of the declared type. Carries the raw bytes so that the
 * consumer can dead-letter them unchanged.
 *
 * <p>Thrown by {@link ProtobufSerde}'s deserializer. Inside {@code KafkaConsumer.poll} Kafka wraps it in a
 * {@link org.apache.kafka.common.errors.RecordDeserializationException} that also carries the partition,
 * offset, raw key and value: pass that to {@code DeadLetters.publish}, then seek past the offset.
 */
public final class UndecodableRecordException extends SerializationException {

    private final String topic;
    private final String messageType;
    private final byte[] data;

    public UndecodableRecordException(String topic, String messageType, byte[] data, Throwable cause) {
        super("cannot decode " + data.length + " bytes from topic " + topic + " as " + messageType
                + ": " + cause.getMessage(), cause);
        this.topic = topic;
        this.messageType = messageType;
        this.data = data.clone();
    }

    /** The topic the bytes were read from ({@code null} if the caller did not say). */
    public String topic() {
        return topic;
    }

    /** Full protobuf name of the expected type, e.g. {@code training.v1.TrainingBatch}. */
    public String messageType() {
        return messageType;
    }

    /** A copy of the undecodable bytes. */
    public byte[] data() {
        return data.clone();
    }
}
