using System.Text.Json.Serialization;

namespace Inosync.Status;

/// <summary>
/// Source-generated (de)serialization of the status file: no reflection, so it stays trimming- and AOT-safe.
/// snake_case like the configuration keys; nulls are written, so every key is always present. Reading is strict
/// (every key required, null only where the record allows it), so a foreign or truncated file is an error, not zeros.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    WriteIndented = true,
    IgnoreReadOnlyProperties = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusDocument))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;
