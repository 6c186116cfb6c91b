namespace Inosync.Migration;

/// <summary>The one operator old configs use, +, as Python evaluates it: strings and lists join, numbers add.</summary>
internal static class PythonArithmetic
{
    public static PyValue Add(PyValue left, PyValue right, PyPosition op, string sourceName) => (left, right) switch
    {
        (PyString l, PyString r) => new PyString(l.Position, l.Value + r.Value, [.. l.Names.Union(r.Names, StringComparer.Ordinal)]),
        (PyList l, PyList r) when l.IsTuple == r.IsTuple => new PyList(l.Position, [.. l.Items, .. r.Items], l.IsTuple),
        (PyInteger l, PyInteger r) => AddIntegers(l, r, op, sourceName),
        (PyInteger or PyFloat, PyInteger or PyFloat) => new PyFloat(left.Position, AsDouble(left) + AsDouble(right)),
        _ => throw ConversionErrors.Value(sourceName, op,
            $"cannot add {left.Description} and {right.Description} (+ joins two strings, two lists or two numbers)"),
    };

    private static PyInteger AddIntegers(PyInteger left, PyInteger right, PyPosition op, string sourceName)
    {
        try
        {
            return new PyInteger(left.Position, checked(left.Value + right.Value));
        }
        catch (OverflowException)
        {
            throw ConversionErrors.Value(sourceName, op, "the sum is too large for an integer");
        }
    }

    private static double AsDouble(PyValue value) => value is PyInteger i ? i.Value : ((PyFloat)value).Value;
}
