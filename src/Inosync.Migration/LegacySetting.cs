namespace Inosync.Migration;

/// <summary>The final value of one name assigned in the old config file.</summary>
/// <param name="Name">The name, e.g. <c>wpath</c>.</param>
/// <param name="Position">Where the name was (last) assigned.</param>
/// <param name="Value">Its value; <see cref="PyValue.Position"/> says where the value was written.</param>
/// <param name="IsReferenced">Whether another assignment used it (a helper such as <c>rpath</c> in the original
/// README, which the daemon itself never read).</param>
internal sealed record LegacySetting(string Name, PyPosition Position, PyValue Value, bool IsReferenced);
