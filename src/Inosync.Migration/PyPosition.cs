namespace Inosync.Migration;

/// <summary>A 1-based line and column (in Unicode scalar values, a tab counts as one) within a Python file.</summary>
internal readonly record struct PyPosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
